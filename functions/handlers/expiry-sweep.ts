import type { Clock } from '#registrar/ports/clock.ts';
import type { Logger } from '#registrar/ports/logger.ts';
import type { RegistrationStore } from '#registrar/ports/store.ts';
import type { Registrar } from '#registrar/registrar/registrar.ts';

/** The most registrations one sweep looks at. */
export const SWEEP_LIMIT = 200;

/** What one sweep did. */
export interface SweepResult {
  /** Expired registrations found. */
  readonly found: number;
  /** Of those, how many could not be ended (they are tried next time). */
  readonly failed: number;
}

/** What a sweep works with. */
export interface SweepDependencies {
  readonly registrar: Registrar;
  readonly store: Pick<RegistrationStore, 'listExpiring'>;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Ends the registrations that have expired but are still stored: those
 * whose timer was lost (its creation failed and so did the compensation,
 * or its deliveries ran out into the dead-letter queue). Reads treat them
 * as gone already; the sweep frees their stem and name and writes their
 * audit record, through the same `expire` as a timer.
 *
 * One Query on the expiry index per run plus one expiry per registration
 * found; a run with nothing to do costs one read.
 */
export async function sweepExpired(
  deps: SweepDependencies,
  limit = SWEEP_LIMIT,
): Promise<SweepResult> {
  const due = await deps.store.listExpiring(deps.clock.now(), limit);
  let failed = 0;
  for (const registration of due) {
    try {
      await deps.registrar.expire(registration.aei);
    } catch {
      // expire() has logged the cause; the next sweep tries again.
      failed += 1;
    }
  }
  if (due.length > 0) {
    deps.logger.info('expiry sweep', { found: due.length, failed });
  }
  return { found: due.length, failed };
}
