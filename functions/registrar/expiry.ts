import { BadRequestError } from '#registrar/onem2m/errors.ts';
import { parseTimestamp } from '#registrar/onem2m/timestamp.ts';

/** The lifetimes a policy grants, milliseconds. */
export interface Lifetimes {
  readonly defaultLifetimeMs: number;
  readonly maxLifetimeMs: number;
}

/**
 * The expiration time the CSE grants for a requested `et` (section 6).
 *
 * Absent: `now` plus the default lifetime. Later than `now` plus the
 * maximum: lowered to that (not an error). Not in the future: `4000`.
 *
 * @param requested a valid `m2m:timestamp`, or `undefined`.
 * @throws {BadRequestError} `et` is not after `now`.
 */
export function grantedExpiry(
  requested: string | undefined,
  lifetimes: Lifetimes,
  now: number,
): number {
  const latest = now + lifetimes.maxLifetimeMs;
  if (requested === undefined) {
    return Math.min(now + lifetimes.defaultLifetimeMs, latest);
  }
  const asked = parseTimestamp(requested);
  if (asked === undefined) {
    throw new BadRequestError('et must be an m2m:timestamp');
  }
  if (asked <= now) {
    throw new BadRequestError('et is in the past');
  }
  return Math.min(asked, latest);
}
