import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the fake registrar received it. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: Record<string, string | undefined>;
  readonly body: Uint8Array | undefined;
}

/** What the fake registrar answers: status, headers, body. */
export interface CannedAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Waits this long before answering, milliseconds. */
  readonly delayMs?: number;
}

/** A node:http server on a free loopback port that records requests. */
export interface FakeRegistrar {
  readonly url: string;
  readonly received: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * Starts a fake registrar on 127.0.0.1, port 0, answering each request
 * with what `answer` returns for it.
 */
export async function startFakeRegistrar(
  answer: (request: ReceivedRequest) => CannedAnswer,
): Promise<FakeRegistrar> {
  const received: ReceivedRequest[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    void readRequest(incoming).then((request) => {
      received.push(request);
      const canned = answer(request);
      setTimeout(() => {
        outgoing.writeHead(canned.status, canned.headers ?? {});
        outgoing.end(canned.body ?? '');
      }, canned.delayMs ?? 0);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

async function readRequest(
  incoming: IncomingMessage,
): Promise<ReceivedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) {
    chunks.push(chunk as Buffer);
  }
  const [path = '', query = ''] = (incoming.url ?? '').split('?');
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: incoming.method ?? '',
    path,
    query,
    headers,
    body: chunks.length === 0 ? undefined : Buffer.concat(chunks),
  };
}

/** A oneM2M answer with `rsc` and a JSON body. */
export function oneM2mAnswer(
  status: number,
  rsc: number,
  body?: unknown,
): CannedAnswer {
  return {
    status,
    headers: {
      'X-M2M-RSC': String(rsc),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}
