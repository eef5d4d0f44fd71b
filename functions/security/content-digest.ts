import { createHash, timingSafeEqual } from 'node:crypto';
import { parseDictionary, serializeDictionary } from 'structured-headers';
import { SignatureError } from './signature-error.ts';

/**
 * `Content-Digest` (RFC 9530) with the `sha-256` algorithm over the exact
 * body bytes.
 */

/** The `Content-Digest` value of `body`: `sha-256=:<base64>:`. */
export function contentDigest(body: Uint8Array): string {
  const digest = createHash('sha256').update(body).digest();
  return serializeDictionary({ 'sha-256': digest });
}

/**
 * Checks a `Content-Digest` header against `body`.
 *
 * Algorithms other than `sha-256` are ignored; at least a `sha-256` member
 * is required. The comparison is constant-time.
 *
 * @throws {SignatureError} `malformed-content-digest` when the header does
 *   not parse or has no `sha-256` byte sequence; `digest-mismatch` when it
 *   does not match `body`.
 */
export function checkContentDigest(header: string, body: Uint8Array): void {
  const claimed = sha256Member(header);
  const actual = createHash('sha256').update(body).digest();
  if (claimed.length !== actual.length || !timingSafeEqual(claimed, actual)) {
    throw new SignatureError(
      'digest-mismatch',
      'Content-Digest does not match the body',
    );
  }
}

function sha256Member(header: string): Buffer {
  let members: ReturnType<typeof parseDictionary>;
  try {
    members = parseDictionary(header);
  } catch {
    throw new SignatureError(
      'malformed-content-digest',
      'Content-Digest is not a structured dictionary',
    );
  }
  const member = members.get('sha-256');
  const value = Array.isArray(member) ? member[0] : undefined;
  if (!(value instanceof ArrayBuffer)) {
    throw new SignatureError(
      'malformed-content-digest',
      'Content-Digest needs a sha-256 byte sequence',
    );
  }
  return Buffer.from(value);
}
