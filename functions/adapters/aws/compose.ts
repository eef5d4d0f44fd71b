import type { Authenticator } from '#registrar/ports/authenticator.ts';
import { type Clock, systemClock } from '#registrar/ports/clock.ts';
import type { CredentialIssuer } from '#registrar/ports/credentials.ts';
import type { Logger } from '#registrar/ports/logger.ts';
import { createRegistrar } from '#registrar/registrar/create-registrar.ts';
import {
  openAuthenticator,
  openCredentialIssuer,
} from '#registrar/registrar/open-access.ts';
import type {
  Registrar,
  RegistrarDependencies,
} from '#registrar/registrar/registrar.ts';
import { DerivedCredentialIssuer } from '#registrar/security/credential-issuer.ts';
import { createKeyDerivation } from '#registrar/security/derivation.ts';
import { enrollmentPolicyLookup } from '#registrar/security/enrollment-policy.ts';
import { SignedAuthenticator } from '#registrar/security/signed-authenticator.ts';
import type { AwsClients } from './clients.ts';
import { DynamoAuditLog } from './dynamo-audit.ts';
import { DynamoEnrollmentStore } from './dynamo-enrollments.ts';
import { DynamoFailureCounters } from './dynamo-failure-counters.ts';
import { DynamoReplayGuard } from './dynamo-replay-guard.ts';
import { DynamoRegistrationStore } from './dynamo-store.ts';
import { KmsRootKeys } from './kms-root-keys.ts';
import { SchedulerExpiryTimers } from './scheduler-timers.ts';
import type { AwsSettings } from './settings.ts';

/** What the AWS registrar is composed from, besides its settings. */
export interface AwsComposition {
  readonly clients: AwsClients;
  readonly logger: Logger;
  /** @default the system clock */
  readonly clock?: Clock;
}

/** The registrar of one Lambda environment, and the adapters under it. */
export interface AwsRegistrar {
  readonly registrar: Registrar;
  readonly store: DynamoRegistrationStore;
  readonly audit: DynamoAuditLog;
  readonly timers: SchedulerExpiryTimers;
  readonly rootKeys: KmsRootKeys;
  readonly enrollments: DynamoEnrollmentStore;
}

/** The shared pieces the security composition builds on. */
interface SecurityParts {
  readonly settings: AwsSettings;
  readonly clients: AwsClients;
  readonly store: DynamoRegistrationStore;
  readonly enrollments: DynamoEnrollmentStore;
  readonly rootKeys: KmsRootKeys;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** The dependencies that depend on the security mode. */
type SecurityDependencies = Pick<
  RegistrarDependencies,
  'authenticator' | 'credentials' | 'enrollmentPolicy' | 'rotationGraceS'
> & {
  readonly authenticator: Authenticator;
  readonly credentials: CredentialIssuer;
};

/**
 * Composes the registrar over DynamoDB, KMS and EventBridge Scheduler.
 *
 * Builds objects only; no AWS call is made until a request needs one.
 *
 * Known gap: `<CSEBase>` `ct` is each Lambda environment's start time,
 * so it differs between instances; keeping the first start in the table
 * (as the embedded runtime does in its database) would fix it at the cost
 * of one read per cold start.
 */
export function composeAwsRegistrar(
  settings: AwsSettings,
  composition: AwsComposition,
): AwsRegistrar {
  const { clients, logger } = composition;
  const clock = composition.clock ?? systemClock;
  const table = settings.tableName;
  const store = new DynamoRegistrationStore(clients.dynamo, table);
  const audit = new DynamoAuditLog(clients.dynamo, table);
  const timers = new SchedulerExpiryTimers(
    clients.scheduler,
    settings.timers,
    clock,
  );
  const rootKeys = new KmsRootKeys(clients.kms, settings.rootKeyIds);
  const enrollments = new DynamoEnrollmentStore(clients.dynamo, table);
  const parts = {
    settings,
    clients,
    store,
    enrollments,
    rootKeys,
    clock,
    logger,
  };
  const registrar = createRegistrar({
    settings: settings.registrar,
    store,
    timers,
    audit,
    ...(settings.registrar.security === 'open'
      ? openMode(logger)
      : signedMode(parts)),
    clock,
    logger,
  });
  return { registrar, store, audit, timers, rootKeys, enrollments };
}

/**
 * Signed mode: RFC 9421 signatures checked against keys derived by KMS
 * `GenerateMac`, with the replay guard and the failure counters in
 * DynamoDB so that every Lambda instance shares them.
 */
function signedMode(parts: SecurityParts): SecurityDependencies {
  const { settings, clients, clock, logger } = parts;
  const table = settings.tableName;
  const derivation = createKeyDerivation(parts.rootKeys, {
    now: () => clock.now(),
  });
  return {
    authenticator: new SignedAuthenticator({
      derivation,
      enrollments: parts.enrollments,
      registrations: parts.store,
      replay: new DynamoReplayGuard(clients.dynamo, table),
      failures: new DynamoFailureCounters(clients.dynamo, table),
      lockout: settings.security.lockout,
      clock,
      logger,
      clockSkewS: settings.registrar.clockSkewS,
      adminKeyVersion: settings.security.adminKeyVersion,
    }),
    credentials: new DerivedCredentialIssuer(derivation),
    enrollmentPolicy: enrollmentPolicyLookup(parts.enrollments),
    rotationGraceS: settings.security.rotationGraceS,
  };
}

/** Open mode (forced): nothing is verified and no secret is issued. */
function openMode(logger: Logger): SecurityDependencies {
  logger.warn('running open: requests are not authenticated', {
    security: 'open',
  });
  return {
    authenticator: openAuthenticator,
    credentials: openCredentialIssuer,
  };
}
