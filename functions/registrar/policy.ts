import type { RegistrarSettings } from '#registrar/commons/settings.ts';
import type {
  Principal,
  RegistrationPolicy,
} from '#registrar/ports/authenticator.ts';

/**
 * The open-mode registration policy: any `C…`/`S…` originator, any App-ID,
 * the lifetimes from the settings.
 */
export function settingsPolicy(
  settings: RegistrarSettings,
): RegistrationPolicy {
  return {
    allowsOriginator: (originator) => /^[CS]/.test(originator),
    allowsApp: () => true,
    defaultLifetimeMs: settings.defaultLifetimeS * 1000,
    maxLifetimeMs: settings.maxLifetimeS * 1000,
  };
}

/** A policy that allows nobody, for credentials that cannot register. */
const nobody: RegistrationPolicy = {
  allowsOriginator: () => false,
  allowsApp: () => false,
  defaultLifetimeMs: 0,
  maxLifetimeMs: 0,
};

/**
 * The registration policy that governs a Create `<AE>` by `principal`.
 *
 * **choice**: a registration or admin credential cannot register (a new
 * registration always needs an enrollment's master credential in signed
 * mode), so it gets a policy that allows nothing (`4126`).
 */
export function registrationPolicyOf(
  principal: Principal,
  settings: RegistrarSettings,
): RegistrationPolicy {
  switch (principal.kind) {
    case 'open':
      return settingsPolicy(settings);
    case 'enrollment':
      return principal.policy;
    default:
      return nobody;
  }
}
