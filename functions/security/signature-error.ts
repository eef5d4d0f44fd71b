import { NotAuthenticatedError } from '#registrar/onem2m/errors.ts';

/**
 * The check a request signature failed, named in `m2m:dbg`.
 *
 * - `missing-signature`: no `Signature-Input`/`Signature`, or no `m2m` entry
 * - `malformed-signature-input`, `malformed-signature`: not parseable or
 *   not of the required shape (components, parameters)
 * - `unsupported-algorithm`: `alg` other than `hmac-sha256`
 * - `stale`, `future`, `expired`: `created`/`expires` against server time
 * - `missing-content-digest`, `malformed-content-digest`, `digest-mismatch`
 * - `unknown-keyid`: no usable key behind `keyid`
 * - `throttled`: a recent failed attempt with this enrollment's
 *   credential; the next attempt is checked only after a delay
 * - `locked`: too many failed attempts with this enrollment's credential
 * - `bad-signature`: the MAC does not match
 * - `replayed`: the `(keyid, nonce)` pair was accepted before
 */
export type SignatureCheck =
  | 'missing-signature'
  | 'malformed-signature-input'
  | 'malformed-signature'
  | 'unsupported-algorithm'
  | 'stale'
  | 'future'
  | 'expired'
  | 'missing-content-digest'
  | 'malformed-content-digest'
  | 'digest-mismatch'
  | 'unknown-keyid'
  | 'throttled'
  | 'locked'
  | 'bad-signature'
  | 'replayed';

/**
 * `4106`: a request signature failed `check`.
 *
 * The message names the check and, where it helps the client, what was
 * expected; it never carries key material or the signature itself.
 */
export class SignatureError extends NotAuthenticatedError {
  /** The failed check. */
  public readonly check: SignatureCheck;

  public constructor(check: SignatureCheck, detail: string) {
    super(`request signature refused (${check}): ${detail}`);
    this.name = 'SignatureError';
    this.check = check;
  }
}
