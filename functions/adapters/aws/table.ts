/**
 * The one DynamoDB table every AWS adapter shares, and its item layout.
 *
 * Key schema: partition key `pk` (S), sort key `sk` (S); TTL attribute
 * `ttl` (epoch seconds). Items:
 *
 * | item | `pk` | `sk` | `ttl` |
 * | --- | --- | --- | --- |
 * | registration | `REG#<aei>` | `REG` | expiry + {@link TTL_MARGIN_S} |
 * | name claim | `NAME#<rn>` | `NAME` | same as its registration |
 * | audit record | `AUDIT#<aei>` | `<ISO time>#<uuid>` | none |
 * | enrollment | `ENR` | `<enrollmentId>` | none |
 * | nonce (replay guard) | `NONCE#<keyid>` | `<nonce>` | when reusable |
 * | failure counter | `FAIL#<subject>` | `FAIL` | a day after it is forgotten |
 *
 * Enrollments share one partition: an operator keeps a handful, and one
 * Query lists them in id order.
 *
 * Only registration items carry `gsi` (always `REG`), so only they appear
 * in the two global secondary indexes, both projecting all attributes:
 *
 * - {@link BY_AEI_INDEX}: partition `gsi` (S), sort `aei` (S): `list`.
 * - {@link BY_EXPIRY_INDEX}: partition `gsi` (S), sort `expiresAt` (N):
 *   `listExpiring`.
 *
 * One partition value means every registration write also writes to one
 * index partition of each index, which DynamoDB serves at about 1,000
 * writes per second; beyond that the partition would have to be sharded
 * (`REG#0`..`REG#n`) and the listings merged.
 */

/** The GSI that lists registrations in `aei` order. */
export const BY_AEI_INDEX = 'byAei';

/** The GSI that lists registrations by expiry time. */
export const BY_EXPIRY_INDEX = 'byExpiry';

/** The value of `gsi` on every registration item. */
export const REGISTRATION_GSI_VALUE = 'REG';

/**
 * How long after its expiry DynamoDB's TTL may remove a registration,
 * seconds (7 days).
 *
 * TTL is only the garbage collector of last resort: the expiry callback
 * de-registers properly (tokens revoked, audit written) and needs the
 * record to do so. The margin outlasts Scheduler's 24 h of retries and
 * leaves days to redrive its dead-letter queue.
 */
export const TTL_MARGIN_S = 7 * 24 * 3600;

/** A table key. */
export interface TableKey {
  readonly pk: string;
  readonly sk: string;
  readonly [attribute: string]: string;
}

/** The key of the registration of `aei`. */
export function registrationKey(aei: string): TableKey {
  return { pk: `REG#${aei}`, sk: 'REG' };
}

/** The key of the claim on resource name `rn`. */
export function nameKey(rn: string): TableKey {
  return { pk: `NAME#${rn}`, sk: 'NAME' };
}

/** The partition of the audit records of `aei`. */
export function auditPartition(aei: string): string {
  return `AUDIT#${aei}`;
}

/** The `ttl` of a registration that expires at `at` (epoch milliseconds). */
export function registrationTtl(at: number): number {
  return epochSeconds(at) + TTL_MARGIN_S;
}

/** The partition of every enrollment. */
export const ENROLLMENT_PARTITION = 'ENR';

/** The key of enrollment `id`. */
export function enrollmentKey(id: string): TableKey {
  return { pk: ENROLLMENT_PARTITION, sk: id };
}

/** The key of the replay-guard entry of `(keyid, nonce)`. */
export function nonceKey(keyid: string, nonce: string): TableKey {
  return { pk: `NONCE#${keyid}`, sk: nonce };
}

/** The key of the failure counter of `subject`. */
export function failureKey(subject: string): TableKey {
  return { pk: `FAIL#${subject}`, sk: 'FAIL' };
}

/** Epoch seconds at or after `at` (epoch milliseconds), for `ttl`. */
export function epochSeconds(at: number): number {
  return Math.ceil(at / 1000);
}
