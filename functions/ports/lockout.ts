/**
 * Failure counters for the master-credential lockout: how many signatures
 * under one enrollment's credential failed in a row, and when the last did.
 *
 * The policy (delays, threshold, lock time) is the security layer's; the
 * counters only count, atomically, so that concurrent failures all count.
 */

/** The failures recorded for one subject (an enrollment id). */
export interface FailureRecord {
  /** Failures in a row, at least 1. */
  readonly count: number;
  /** Time of the latest failure, epoch milliseconds. */
  readonly lastFailureAt: number;
}

/** Counts failed attempts per subject. */
export interface FailureCounters {
  /** The current record of `subject`, if it has one. */
  read(subject: string): Promise<FailureRecord | undefined>;

  /**
   * Adds one failure at `at`, atomically, and returns the new record. A
   * record whose last failure is before `forgetBefore` starts again at 1.
   */
  recordFailure(
    subject: string,
    at: number,
    forgetBefore: number,
  ): Promise<FailureRecord>;

  /** Forgets the failures of `subject` (after a success). */
  clear(subject: string): Promise<void>;
}
