import { TransportError } from './errors.ts';
import type { PreparedRequest } from './request.ts';

/** A oneM2M answer: its code first, then HTTP status, body and headers. */
export interface OneM2mResponse {
  /** `X-M2M-RSC`, e.g. `2001`. */
  readonly rsc: number;
  /** The HTTP status, e.g. `201`. */
  readonly status: number;
  /** The JSON body, or `undefined` when there was none. */
  readonly body: Readonly<Record<string, unknown>> | undefined;
  /** Response headers by lower-case name. */
  readonly headers: Readonly<Record<string, string>>;
}

/** The `fetch` the client sends with; global `fetch` unless a test swaps it. */
export type Fetch = typeof fetch;

/**
 * Sends `request` and reads the oneM2M answer.
 *
 * Redirects are never followed (a 3xx is a {@link TransportError}, so a
 * signed request and its credential's identity never travel elsewhere),
 * and the whole exchange, body included, must finish within `timeoutMs`.
 *
 * @throws {TransportError} no answer in time, a refused connection, a
 *   redirect, no `X-M2M-RSC`, or a body that is not a JSON object.
 */
export async function send(
  request: PreparedRequest,
  timeoutMs: number,
  fetchImpl: Fetch = fetch,
): Promise<OneM2mResponse> {
  let response: Response;
  let text: string;
  try {
    response = await fetchImpl(request.url, {
      method: request.method,
      headers: request.headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      ...(request.body === undefined ? {} : { body: request.body }),
    });
    text = await response.text();
  } catch (error) {
    throw new TransportError(failureMessage(error, timeoutMs), {
      cause: error,
    });
  }
  return readAnswer(response, text);
}

function failureMessage(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = error instanceof Error ? error.cause : undefined;
  if (!(cause instanceof Error)) {
    return 'the request could not be sent';
  }
  const reason = 'code' in cause ? String(cause.code) : cause.message;
  return `the request could not be sent (${reason})`;
}

function readAnswer(response: Response, text: string): OneM2mResponse {
  if (response.status >= 300 && response.status < 400) {
    throw new TransportError(
      `the server answered a redirect (${response.status}), not followed`,
    );
  }
  const rsc = Number(response.headers.get('x-m2m-rsc'));
  if (!Number.isInteger(rsc) || rsc < 1000) {
    throw new TransportError(
      `HTTP ${response.status} without X-M2M-RSC: not a oneM2M answer`,
    );
  }
  return {
    rsc,
    status: response.status,
    body: text === '' ? undefined : jsonObject(text),
    headers: Object.fromEntries(response.headers),
  };
}

function jsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TransportError('the answer body is not JSON', { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TransportError('the answer body is not a JSON object');
  }
  return value as Record<string, unknown>;
}
