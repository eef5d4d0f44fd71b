/** The time source, so that expiry can be tested without waiting. */
export interface Clock {
  /** Current time, epoch milliseconds. */
  now(): number;
}

/** The system clock. */
export const systemClock: Clock = { now: () => Date.now() };
