import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_BODY_BYTES } from '#registrar/onem2m/body.ts';
import type { HttpRequest, HttpResponse } from '#registrar/onem2m/message.ts';
import type { Logger } from '#registrar/ports/logger.ts';
import { clientErrorHandler, ResponsesInFlight } from './client-error.ts';

/**
 * How many bytes of an oversized body are read and thrown away after the
 * answer, so that the client gets to read it; past this the connection is
 * cut.
 */
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;

/** The oneM2M request handler the server is a shell for. */
export type RequestHandler = (request: HttpRequest) => Promise<HttpResponse>;

/** What {@link createLocalServer} needs. */
export interface LocalServerOptions {
  /** Usually `registrar.handle`. */
  readonly handler: RequestHandler;
  readonly logger: Logger;
  /** @default the pipeline's `MAX_BODY_BYTES` */
  readonly maxBodyBytes?: number;
  /** Time to receive a whole request, milliseconds. @default 30000 */
  readonly requestTimeoutMs?: number;
}

/** A running (or ready to run) local HTTP server. */
export interface LocalServer {
  /** Listens on `host`:`port` (0 picks a free port); resolves with the URL. */
  listen(port: number, host: string): Promise<string>;
  /** Stops accepting, waits for requests in flight, then closes. */
  close(): Promise<void>;
  /** The underlying `node:http` server. */
  readonly server: Server;
}

/**
 * Creates the local HTTP server: a thin shell that turns each HTTP request
 * into an {@link HttpRequest}, hands it to the handler and writes back the
 * {@link HttpResponse}.
 *
 * A body is read up to `maxBodyBytes + 1` bytes and no further, so that the
 * pipeline sees an oversized body and answers `4000`; the rest is drained
 * and dropped. A client that goes away mid-request never stops the server.
 * A request the HTTP parser refuses gets a `4000` answer (client-error.ts).
 */
export function createLocalServer(options: LocalServerOptions): LocalServer {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const inFlight = new Set<Promise<void>>();
  const responses = new ResponsesInFlight();
  const server = createServer((incoming, outgoing) => {
    responses.track(incoming.socket, outgoing);
    const work = serve(incoming, outgoing, options, maxBodyBytes);
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  });
  server.requestTimeout = options.requestTimeoutMs ?? 30_000;
  server.headersTimeout = Math.min(server.requestTimeout, 10_000);
  server.on('clientError', clientErrorHandler(responses, options.logger));

  return {
    server,
    listen: (port, host) => listen(server, port, host),
    async close() {
      const closed = new Promise<void>((done) => server.close(() => done()));
      await Promise.allSettled([...inFlight]);
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), 2000);
      await closed;
      clearTimeout(grace);
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shown = address.family === 'IPv6' ? `[${address.address}]` : host;
      resolve(`http://${shown}:${address.port}`);
    });
  });
}

async function serve(
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  options: LocalServerOptions,
  maxBodyBytes: number,
): Promise<void> {
  const started = performance.now();
  try {
    const { body, complete } = await readBody(incoming, maxBodyBytes + 1);
    if (!complete) {
      outgoing.shouldKeepAlive = false;
      drain(incoming);
    }
    const request = toRequest(incoming, body);
    const response = await answer(options, request);
    write(outgoing, response);
    options.logger.debug('http request served', {
      method: request.method,
      status: response.status,
      rsc: response.headers['X-M2M-RSC'],
      ms: Math.round(performance.now() - started),
    });
  } catch (error) {
    // The client went away before the request was complete: nothing to
    // answer, nobody to answer to.
    options.logger.debug('http request abandoned', { error: String(error) });
    outgoing.destroy();
  }
}

async function answer(
  options: LocalServerOptions,
  request: HttpRequest,
): Promise<HttpResponse> {
  try {
    return await options.handler(request);
  } catch (error) {
    options.logger.error('request handler threw', { error });
    return internalError();
  }
}

function internalError(): HttpResponse {
  return {
    status: 500,
    headers: { 'X-M2M-RSC': '5000', 'Content-Type': 'application/json' },
    body: JSON.stringify({ 'm2m:dbg': 'internal server error' }),
  };
}

/**
 * Reads the body up to `limit` bytes. `complete` is false when the body
 * was longer and reading stopped at the limit.
 */
function readBody(
  incoming: IncomingMessage,
  limit: number,
): Promise<{ body: Uint8Array | undefined; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (complete: boolean) => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('aborted', onAborted);
      const body = Buffer.concat(chunks, size).subarray(0, limit);
      resolve({ body: size === 0 ? undefined : body, complete });
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) {
        size = Math.min(size, limit);
        finish(false);
      }
    };
    const onEnd = () => finish(true);
    const onError = (error: Error) => reject(error);
    const onAborted = () => reject(new Error('request aborted'));
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('aborted', onAborted);
  });
}

/** Drops the rest of an oversized body, cutting off a client that sends on. */
function drain(incoming: IncomingMessage): void {
  let dropped = 0;
  incoming.on('error', () => undefined);
  incoming.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > MAX_DRAIN_BYTES) {
      incoming.destroy();
    }
  });
}

function toRequest(
  incoming: IncomingMessage,
  body: Uint8Array | undefined,
): HttpRequest {
  const target = incoming.url ?? '/';
  const mark = target.indexOf('?');
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(incoming.headersDistinct)) {
    if (values !== undefined) {
      headers[name] = values.join(', ');
    }
  }
  return {
    method: (incoming.method ?? 'GET').toUpperCase(),
    path: mark === -1 ? target : target.slice(0, mark),
    query: mark === -1 ? '' : target.slice(mark + 1),
    headers,
    body,
  };
}

function write(outgoing: ServerResponse, response: HttpResponse): void {
  if (outgoing.destroyed) {
    return;
  }
  const headers: Record<string, string | number> = {
    ...response.headers,
    'Content-Length':
      response.body === undefined ? 0 : Buffer.byteLength(response.body),
  };
  outgoing.writeHead(response.status, headers);
  outgoing.end(response.body);
}
