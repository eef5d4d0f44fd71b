/**
 * One expiry timer per registration: in-process timers locally, an
 * EventBridge Scheduler one-time schedule in the cloud.
 *
 * Timers only say "look at this registration now". The registrar decides on
 * firing whether anything has expired, so a timer that fires late, twice,
 * or after a renewal does no harm. Both operations are idempotent.
 */
export interface ExpiryTimers {
  /**
   * Arms the timer of `aei` to fire at `at` (epoch milliseconds), replacing
   * any timer it had. Pending timers survive a restart.
   */
  arm(aei: string, at: number): Promise<void>;

  /** Removes the timer of `aei`; a missing timer counts as removed. */
  disarm(aei: string): Promise<void>;
}

/** What a timer calls when it fires. */
export type ExpiryCallback = (aei: string) => Promise<void>;
