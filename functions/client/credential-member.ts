import { TransportError } from './errors.ts';
import type { Credential } from './request.ts';

/** The member of a registration answer that carries the new secret. */
export const CREDENTIAL_MEMBER = 'm2m-registrar:cred';

/** A registration secret as the registrar hands it out (security.md 4). */
export interface IssuedCredential extends Credential {
  /** Absolute expiry, `m2m:timestamp` in server time. */
  readonly et: string;
  /** Seconds until {@link et} when the answer was made. */
  readonly ttl: number;
}

/**
 * The `m2m-registrar:cred` member of `body`, with its key decoded, or
 * `undefined` when there is none (a registrar running open).
 *
 * @throws {TransportError} the member is there but malformed.
 */
export function readCredentialMember(
  body: Readonly<Record<string, unknown>> | undefined,
): IssuedCredential | undefined {
  const member = body?.[CREDENTIAL_MEMBER];
  if (member === undefined) {
    return undefined;
  }
  if (typeof member !== 'object' || member === null) {
    throw malformed('is not an object');
  }
  const { kid, key, alg, et, ttl } = member as Record<string, unknown>;
  if (typeof kid !== 'string' || !kid.startsWith('reg:')) {
    throw malformed('has no kid of the form reg:<aei>:<generation>');
  }
  if (alg !== 'hmac-sha256') {
    throw malformed('names an algorithm other than hmac-sha256');
  }
  if (typeof et !== 'string' || typeof ttl !== 'number') {
    throw malformed('has no et or ttl');
  }
  const bytes = decodeKey(key);
  if (bytes === undefined) {
    throw malformed('key is not 32 bytes in base64url');
  }
  return { keyid: kid, key: bytes, et, ttl };
}

/**
 * The 32 bytes of a key written in base64url without padding (43
 * characters), as the registrar prints and sends keys; `undefined` for
 * anything else.
 */
export function decodeKey(text: unknown): Uint8Array | undefined {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(text)) {
    return undefined;
  }
  return new Uint8Array(Buffer.from(text, 'base64url'));
}

/** A key's base64url text without padding, the form {@link decodeKey} reads. */
export function encodeKey(key: Uint8Array): string {
  return Buffer.from(key).toString('base64url');
}

function malformed(problem: string): TransportError {
  return new TransportError(`${CREDENTIAL_MEMBER} ${problem}`);
}
