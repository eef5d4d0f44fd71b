import { Agent, request as httpRequest } from 'node:http';
import type { PreparedRequest } from '#registrar/client/request.ts';

/**
 * The bench's HTTP sender: `node:http` over a keep-alive agent, so that
 * the load generator spends as little CPU as it can and the bench measures
 * the server rather than itself.
 */

/** A raw answer: HTTP status, `X-M2M-RSC` (NaN when absent), body text. */
export interface RawAnswer {
  readonly status: number;
  readonly rsc: number;
  readonly text: string;
}

/** A failure with no oneM2M answer: refused, reset or timed out. */
export class BenchTransportError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BenchTransportError';
  }
}

/** A keep-alive agent with at most `sockets` connections. */
export function keepAliveAgent(sockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: sockets });
}

/**
 * Sends `prepared` (its URL, headers and body exactly as prepared and
 * signed) through `agent` and reads the whole answer.
 *
 * @throws {BenchTransportError} no answer within `timeoutMs`, or the
 *   connection failed.
 */
export function sendPrepared(
  agent: Agent,
  prepared: PreparedRequest,
  timeoutMs: number,
): Promise<RawAnswer> {
  const url = new URL(prepared.url);
  const body =
    prepared.body === undefined ? undefined : Buffer.from(prepared.body);
  const headers: Record<string, string | number> = { ...prepared.headers };
  if (body !== undefined) {
    headers['Content-Length'] = body.length;
  }
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: prepared.method,
        path: `${url.pathname}${url.search}`,
        headers,
        timeout: timeoutMs,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', (error) =>
          reject(new BenchTransportError('answer cut off', { cause: error })),
        );
        incoming.on('end', () => {
          resolve({
            status: incoming.statusCode ?? 0,
            rsc: Number(incoming.headers['x-m2m-rsc']),
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    outgoing.on('timeout', () =>
      outgoing.destroy(new BenchTransportError('no answer in time')),
    );
    outgoing.on('error', (error) =>
      reject(
        error instanceof BenchTransportError
          ? error
          : new BenchTransportError('request failed', { cause: error }),
      ),
    );
    outgoing.end(body);
  });
}
