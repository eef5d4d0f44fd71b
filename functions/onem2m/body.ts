import { BadRequestError } from './errors.ts';

/**
 * Largest request body accepted, in bytes.
 *
 * Transports read at most `MAX_BODY_BYTES + 1` bytes and pass them on, so
 * that the pipeline sees an oversized body and answers `4000`.
 */
export const MAX_BODY_BYTES = 65_536;

/** A request body after JSON decoding: a value, or why there is none. */
export type DecodedBody =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: BadRequestError };

/**
 * Rejects a body larger than {@link MAX_BODY_BYTES}.
 *
 * @throws {BadRequestError}
 */
export function checkBodySize(body: Uint8Array | undefined): void {
  if (body !== undefined && body.length > MAX_BODY_BYTES) {
    throw new BadRequestError('request body too large');
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decodes a body as UTF-8 JSON without throwing.
 *
 * The error is kept for later: the contract checks originator and name
 * before attribute validation, so a broken body is reported only when the
 * attributes are validated.
 */
export function decodeJsonBody(body: Uint8Array | undefined): DecodedBody {
  if (body === undefined || body.length === 0) {
    return failure('a JSON body is required');
  }
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return failure('the body is not valid UTF-8');
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return failure('the body is not valid JSON');
  }
}

function failure(message: string): DecodedBody {
  return { ok: false, error: new BadRequestError(message) };
}
