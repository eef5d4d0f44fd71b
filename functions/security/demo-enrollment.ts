import type { EnrollmentStore } from '#registrar/ports/enrollments.ts';
import { EnrollmentExistsError } from '#registrar/ports/enrollments.ts';
import type { KeyDerivation } from './derivation.ts';
import {
  type MasterCredential,
  masterCredentialOf,
  newEnrollment,
} from './enrollments.ts';

/** The id of the enrollment a first start in signed mode creates. */
export const DEMO_ENROLLMENT_ID = 'demo';

/** Lifetimes of the demo enrollment, seconds. */
export interface DemoLifetimes {
  readonly defaultLifetimeS: number;
  readonly maxLifetimeS: number;
}

/**
 * Creates the demo enrollment when there is no enrollment at all (a first
 * start), so that a new user can register right away: id `demo`, any
 * originator and App-ID, the lifetimes of the settings.
 *
 * @returns its master credential when it was created now, for the
 *   terminal only (never for a log); `undefined` when enrollments exist.
 */
export async function ensureDemoEnrollment(
  store: EnrollmentStore,
  derivation: KeyDerivation,
  lifetimes: DemoLifetimes,
  now: number,
): Promise<MasterCredential | undefined> {
  if ((await store.list()).length > 0) {
    return undefined;
  }
  const enrollment = newEnrollment(
    { id: DEMO_ENROLLMENT_ID, ...lifetimes },
    now,
  );
  try {
    await store.insert(enrollment);
  } catch (error) {
    if (error instanceof EnrollmentExistsError) {
      return undefined;
    }
    throw error;
  }
  return masterCredentialOf(derivation, enrollment);
}
