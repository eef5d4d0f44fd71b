import type { FailureRecord } from '#registrar/ports/lockout.ts';

/**
 * The master-credential lockout: after a failed signature under an
 * enrollment's credential, the next attempt is checked only after a delay
 * that doubles with each failure in a row (`baseDelayMs`, `2 × base`, ...);
 * at `threshold` failures in a row the enrollment is locked for
 * `lockoutMs`. A good signature clears the count; so does a quiet period
 * of `lockoutMs` since the last failure. Other enrollments are untouched.
 */
export interface LockoutPolicy {
  /** Failures in a row that lock the enrollment. */
  readonly threshold: number;
  /** How long a lock lasts, milliseconds. */
  readonly lockoutMs: number;
  /** The delay after the first failure, milliseconds. */
  readonly baseDelayMs: number;
}

/** Where an enrollment stands after its recorded failures. */
export type LockoutState =
  | { readonly kind: 'open' }
  | { readonly kind: 'throttled'; readonly until: number }
  | { readonly kind: 'locked'; readonly until: number };

/** The state `record` puts its enrollment in at `now`. */
export function lockoutState(
  record: FailureRecord | undefined,
  policy: LockoutPolicy,
  now: number,
): LockoutState {
  if (record === undefined) {
    return { kind: 'open' };
  }
  if (record.count >= policy.threshold) {
    const until = record.lastFailureAt + policy.lockoutMs;
    return until > now ? { kind: 'locked', until } : { kind: 'open' };
  }
  const delay = Math.min(
    policy.baseDelayMs * 2 ** (record.count - 1),
    policy.lockoutMs,
  );
  const until = record.lastFailureAt + delay;
  return until > now ? { kind: 'throttled', until } : { kind: 'open' };
}
