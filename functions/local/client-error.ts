import { maxHeaderSize, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '#registrar/ports/logger.ts';

/**
 * What the local server does when Node's HTTP parser gives up on a
 * connection (`clientError`): an over-long head, a control character in a
 * header, bytes after a request that parse as no request at all.
 *
 * A connection with nothing in flight gets a complete oneM2M error
 * response and is closed. A connection still answering an earlier request
 * (keep-alive) first finishes that answer, so that a client learns the
 * outcome of an operation the registrar carried out, and is closed after.
 */

/**
 * How long a connection the server has closed its side of may linger for
 * the client to read the answer and close its own; then it is cut.
 */
const LINGER_MS = 5000;

/** The error `clientError` hands over; `code` names the failed check. */
export interface ClientError extends Error {
  readonly code?: string;
}

/** The answers still being written, per connection. */
export class ResponsesInFlight {
  readonly #bySocket = new WeakMap<Duplex, Set<ServerResponse>>();

  /** Counts `response` on `socket` until it is finished or cut. */
  public track(socket: Duplex, response: ServerResponse): void {
    let responses = this.#bySocket.get(socket);
    if (responses === undefined) {
      responses = new Set();
      this.#bySocket.set(socket, responses);
    }
    const set = responses;
    set.add(response);
    response.once('close', () => set.delete(response));
  }

  /** The answers not yet finished on `socket`. */
  public on(socket: Duplex): ServerResponse[] {
    return [...(this.#bySocket.get(socket) ?? [])];
  }
}

/**
 * Creates the `clientError` listener of a server whose answers `inFlight`
 * tracks.
 */
export function clientErrorHandler(
  inFlight: ResponsesInFlight,
  logger: Logger,
): (error: ClientError, socket: Duplex) => void {
  // The parser reports its error again for every later chunk.
  const handled = new WeakSet<Duplex>();
  return (error, socket) => {
    if (handled.has(socket)) {
      return;
    }
    handled.add(socket);
    logger.debug('malformed http request', { code: error.code });
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const responses = inFlight.on(socket);
    if (responses.length === 0) {
      closeWith(socket, rejection(error.code));
      return;
    }
    closeAfter(socket, responses);
  };
}

/**
 * Lets the answers in flight finish, marked as the connection's last,
 * then closes it. A request whose body the error cut off was not handled
 * and never will be: then the connection is cut at once.
 */
function closeAfter(socket: Duplex, responses: ServerResponse[]): void {
  if (responses.some((response) => !response.req.complete)) {
    socket.destroy();
    return;
  }
  for (const response of responses) {
    if (!response.headersSent) {
      response.shouldKeepAlive = false;
    }
  }
  const finished = responses.map(
    (response) =>
      new Promise<void>((done) => {
        response.once('close', () => done());
      }),
  );
  void Promise.all(finished).then(() => closeWith(socket, ''));
}

/** Writes `text` (when any), closes the sending side, then lingers. */
function closeWith(socket: Duplex, text: string): void {
  if (socket.destroyed) {
    return;
  }
  // Reading on until the client closes keeps unread bytes from turning
  // the close into a reset that could discard the answer.
  socket.end(text);
  const linger = setTimeout(() => socket.destroy(), LINGER_MS);
  linger.unref();
  socket.once('close', () => clearTimeout(linger));
}

/** The complete HTTP/1.1 answer to a request the parser refused. */
export function rejection(code: string | undefined): string {
  const [status, reason, dbg] = answerFor(code);
  const body = JSON.stringify({ 'm2m:dbg': dbg });
  return [
    `HTTP/1.1 ${status} ${reason}`,
    'X-M2M-RSC: 4000',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

function answerFor(code: string | undefined): [number, string, string] {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return [
        431,
        'Request Header Fields Too Large',
        `request headers too large: at most ${maxHeaderSize} bytes of ` +
          'request line and headers',
      ];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'Request Timeout', 'request not received in time'];
    default:
      return [
        400,
        'Bad Request',
        `malformed HTTP request (${code ?? 'unreadable'})`,
      ];
  }
}
