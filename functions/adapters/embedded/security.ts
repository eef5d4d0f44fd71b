import type { RegistrarSettings } from '#registrar/commons/settings.ts';
import type { Clock } from '#registrar/ports/clock.ts';
import type { Logger } from '#registrar/ports/logger.ts';
import type { RegistrationStore } from '#registrar/ports/store.ts';
import { DerivedCredentialIssuer } from '#registrar/security/credential-issuer.ts';
import {
  createKeyDerivation,
  type KeyDerivation,
} from '#registrar/security/derivation.ts';
import { enrollmentPolicyLookup } from '#registrar/security/enrollment-policy.ts';
import type { SecuritySettings } from '#registrar/security/security-settings.ts';
import { SignedAuthenticator } from '#registrar/security/signed-authenticator.ts';
import type { EmbeddedDatabase } from './database.ts';
import { SqliteEnrollmentStore } from './enrollment-store.ts';
import { SqliteFailureCounters } from './failure-counters.ts';
import { keyFileRootKeys } from './key-file.ts';
import { SqliteReplayGuard } from './replay-guard.ts';

/** The pieces of signed mode on one data folder. */
export interface EmbeddedSecurity {
  readonly enrollments: SqliteEnrollmentStore;
  readonly derivation: KeyDerivation;
}

/** What signed mode adds to the registrar's dependencies. */
export interface SignedModeDependencies extends EmbeddedSecurity {
  readonly authenticator: SignedAuthenticator;
  readonly credentials: DerivedCredentialIssuer;
  readonly enrollmentPolicy: ReturnType<typeof enrollmentPolicyLookup>;
  readonly rotationGraceS: number;
}

/**
 * Opens the key file (creating it on first use) and the enrollment table
 * of the data folder: what the `enrollment` commands need.
 *
 * @throws {KeyFileError} the key file is unsafe or malformed.
 */
export function openEmbeddedSecurity(
  database: EmbeddedDatabase,
  dataDir: string,
  clock: Clock,
): EmbeddedSecurity {
  return {
    enrollments: new SqliteEnrollmentStore(database),
    derivation: createKeyDerivation(keyFileRootKeys(dataDir), {
      now: () => clock.now(),
    }),
  };
}

/** Everything the embedded runtime needs to run signed. */
export interface SignedModeParts {
  readonly database: EmbeddedDatabase;
  readonly dataDir: string;
  readonly registrations: RegistrationStore;
  readonly settings: RegistrarSettings;
  readonly security: SecuritySettings;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Composes signed mode on the embedded database and the local key file:
 * RFC 9421 authenticator, credential issuer, enrollment policies.
 */
export function composeSignedMode(
  parts: SignedModeParts,
): SignedModeDependencies {
  const { database, clock, security } = parts;
  const base = openEmbeddedSecurity(database, parts.dataDir, clock);
  return {
    ...base,
    authenticator: new SignedAuthenticator({
      derivation: base.derivation,
      enrollments: base.enrollments,
      registrations: parts.registrations,
      replay: new SqliteReplayGuard(database),
      failures: new SqliteFailureCounters(database),
      lockout: security.lockout,
      clock,
      logger: parts.logger,
      clockSkewS: parts.settings.clockSkewS,
      adminKeyVersion: security.adminKeyVersion,
    }),
    credentials: new DerivedCredentialIssuer(base.derivation),
    enrollmentPolicy: enrollmentPolicyLookup(base.enrollments),
    rotationGraceS: security.rotationGraceS,
  };
}
