import type { RegistrarSettings } from '#registrar/commons/settings.ts';
import { SettingError } from '#registrar/commons/settings.ts';
import type { Authenticator } from '#registrar/ports/authenticator.ts';
import { type Clock, systemClock } from '#registrar/ports/clock.ts';
import type { CredentialIssuer } from '#registrar/ports/credentials.ts';
import type { Logger } from '#registrar/ports/logger.ts';
import { createRegistrar } from '#registrar/registrar/create-registrar.ts';
import {
  openAuthenticator,
  openCredentialIssuer,
} from '#registrar/registrar/open-access.ts';
import type { Registrar } from '#registrar/registrar/registrar.ts';
import type { AwsClients } from './clients.ts';
import { DynamoAuditLog } from './dynamo-audit.ts';
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
}

/**
 * Composes the registrar over DynamoDB, KMS and EventBridge Scheduler.
 *
 * Builds objects only; no AWS call is made until a request needs one.
 */
export function composeAwsRegistrar(
  settings: AwsSettings,
  composition: AwsComposition,
): AwsRegistrar {
  const { clients, logger } = composition;
  const clock = composition.clock ?? systemClock;
  const store = new DynamoRegistrationStore(clients.dynamo, settings.tableName);
  const audit = new DynamoAuditLog(clients.dynamo, settings.tableName);
  const timers = new SchedulerExpiryTimers(
    clients.scheduler,
    settings.timers,
    clock,
  );
  const rootKeys = new KmsRootKeys(clients.kms, settings.rootKeyIds);
  const registrar = createRegistrar({
    settings: settings.registrar,
    store,
    timers,
    audit,
    ...security(settings.registrar, logger),
    clock,
    logger,
  });
  return { registrar, store, audit, timers, rootKeys };
}

/**
 * How requests are authenticated and which credentials are issued.
 *
 * Known gap: only open mode is composed. Signed mode needs the RFC 9421
 * authenticator and the credential issuer (helper C) over the KMS root
 * keys and the DynamoDB enrollment, replay and lockout adapters; until they
 * are wired here, signed mode fails at cold start naming `M2M_SECURITY`.
 */
function security(
  settings: RegistrarSettings,
  logger: Logger,
): { authenticator: Authenticator; credentials: CredentialIssuer } {
  if (settings.security !== 'open') {
    throw new SettingError(
      'M2M_SECURITY',
      'signed mode is not composed in the Lambda functions yet; set ' +
        'M2M_SECURITY=open and M2M_FORCE_OPEN=true',
    );
  }
  logger.warn('running open: requests are not authenticated', {
    security: 'open',
  });
  return {
    authenticator: openAuthenticator,
    credentials: openCredentialIssuer,
  };
}
