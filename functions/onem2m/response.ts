import { echoable } from './headers.ts';
import type { HttpRequest, HttpResponse } from './message.ts';
import { httpStatusOf, type ResponseStatusCode } from './rsc.ts';

/** What a procedure answers, before it becomes HTTP. */
export interface Outcome {
  readonly rsc: ResponseStatusCode;
  /** The JSON body, or `undefined` for none. */
  readonly content?: Readonly<Record<string, unknown>> | undefined;
  /** `Content-Location` (successful Create only). */
  readonly contentLocation?: string | undefined;
}

/** An error outcome: `rsc` with `{"m2m:dbg": message}`. */
export function errorOutcome(
  rsc: ResponseStatusCode,
  message: string,
): Outcome {
  return { rsc, content: { 'm2m:dbg': message } };
}

/**
 * Turns `outcome` into the HTTP response to `request`.
 *
 * `X-M2M-RSC` is always present; `X-M2M-RI` and `X-M2M-RVI` are echoed
 * when the request carried printable values (whether or not they were
 * valid, so that a client can match even an error to its request).
 */
export function buildResponse(
  outcome: Outcome,
  request: HttpRequest,
): HttpResponse {
  const headers: Record<string, string> = {
    'X-M2M-RSC': String(outcome.rsc),
  };
  const requestId = echoable(request.headers['x-m2m-ri']);
  if (requestId !== undefined) {
    headers['X-M2M-RI'] = requestId;
  }
  const releaseVersion = echoable(request.headers['x-m2m-rvi']);
  if (releaseVersion !== undefined) {
    headers['X-M2M-RVI'] = releaseVersion;
  }
  if (outcome.contentLocation !== undefined) {
    headers['Content-Location'] = outcome.contentLocation;
  }
  if (outcome.content === undefined) {
    return { status: httpStatusOf(outcome.rsc), headers, body: undefined };
  }
  headers['Content-Type'] = 'application/json';
  return {
    status: httpStatusOf(outcome.rsc),
    headers,
    body: JSON.stringify(outcome.content),
  };
}
