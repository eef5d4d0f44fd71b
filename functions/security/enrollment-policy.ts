import type { RegistrationPolicy } from '#registrar/ports/authenticator.ts';
import type {
  Enrollment,
  EnrollmentStore,
} from '#registrar/ports/enrollments.ts';
import { matchesAny } from './patterns.ts';

/** The registration policy an enrollment grants (`4126` when not met). */
export function enrollmentPolicy(enrollment: Enrollment): RegistrationPolicy {
  return {
    enrollmentId: enrollment.id,
    allowsOriginator: (originator) =>
      matchesAny(originator, enrollment.originators),
    allowsApp: (api) => matchesAny(api, enrollment.apps),
    defaultLifetimeMs: enrollment.defaultLifetimeS * 1000,
    maxLifetimeMs: enrollment.maxLifetimeS * 1000,
  };
}

/**
 * Looks up the current policy of an enrollment, for the registrar's
 * `enrollmentPolicy` dependency (clamping `et` on Update). A disabled
 * enrollment still clamps; a missing one gives `undefined`.
 */
export function enrollmentPolicyLookup(
  store: EnrollmentStore,
): (enrollmentId: string) => Promise<RegistrationPolicy | undefined> {
  return async (enrollmentId) => {
    const enrollment = await store.find(enrollmentId);
    return enrollment === undefined ? undefined : enrollmentPolicy(enrollment);
  };
}
