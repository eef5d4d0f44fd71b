import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { createAwsClients } from '#registrar/adapters/aws/clients.ts';
import { composeAwsRegistrar } from '#registrar/adapters/aws/compose.ts';
import { readAwsSettings } from '#registrar/adapters/aws/settings.ts';
import {
  readStackVariables,
  StackLookupError,
} from '#registrar/adapters/aws/stack-outputs.ts';
import { openEmbeddedSecurity } from '#registrar/adapters/embedded/security.ts';
import { SettingError } from '#registrar/commons/settings.ts';
import { createJsonLogger, logLevelFrom } from '#registrar/local/logger.ts';
import { composeEmbeddedRegistrar } from '#registrar/local/runtime.ts';
import type { AuditLog } from '#registrar/ports/audit.ts';
import { systemClock } from '#registrar/ports/clock.ts';
import type { EnrollmentStore } from '#registrar/ports/enrollments.ts';
import type { Logger } from '#registrar/ports/logger.ts';
import type { RegistrationStore } from '#registrar/ports/store.ts';
import type { Registrar } from '#registrar/registrar/registrar.ts';
import {
  createKeyDerivation,
  type KeyDerivation,
} from '#registrar/security/derivation.ts';
import {
  type CommandContext,
  CommandFailedError,
  type Env,
} from './command.ts';

/** Enrollments and the key derivation over the enrollment root. */
export interface OperatorSecurity {
  readonly enrollments: EnrollmentStore;
  readonly derivation: KeyDerivation;
}

/**
 * What the operator commands (`registration`, `enrollment`, `operator`)
 * work on: the data folder, or a deployed stack.
 */
export interface OperatorBackend {
  readonly kind: 'embedded' | 'aws';
  /** The registrar: `revoke` ends a registration as a Delete does. */
  readonly registrar: Registrar;
  readonly store: RegistrationStore;
  readonly audit: AuditLog;
  /**
   * Signed mode's enrollments and key derivation. Locally the key file is
   * opened (created on first use) only when a command asks for them.
   */
  security(): OperatorSecurity;
  /** Releases the database or the SDK clients. */
  close(): Promise<void>;
}

/**
 * Which backend the settings point at: a stack when `M2M_STACK` (the
 * `--stack` flag) or `M2M_TABLE_NAME` is set, else the data folder.
 */
export function backendKind(env: Env): 'embedded' | 'aws' {
  const set = (name: string) => (env[name] ?? '').trim() !== '';
  return set('M2M_STACK') || set('M2M_TABLE_NAME') ? 'aws' : 'embedded';
}

/**
 * Runs `work` on the backend the command's settings point at, then
 * closes it. This is the one place where the operator commands choose
 * between the data folder and a deployed stack.
 */
export async function withBackend<T>(
  context: CommandContext,
  work: (backend: OperatorBackend) => Promise<T>,
): Promise<T> {
  const logger = createJsonLogger(
    logLevelFrom(context.env.M2M_LOG_LEVEL ?? 'warn'),
  );
  const backend =
    backendKind(context.env) === 'aws'
      ? await openAwsBackend(context.env, logger)
      : openEmbeddedBackend(context, logger);
  try {
    return await work(backend);
  } finally {
    await backend.close();
  }
}

/**
 * The data folder. Its timers are not started: they only arm and disarm,
 * and the server, when running, does the firing.
 */
function openEmbeddedBackend(
  context: CommandContext,
  logger: Logger,
): OperatorBackend {
  const settings = context.settings();
  const embedded = composeEmbeddedRegistrar(settings, { logger });
  return {
    kind: 'embedded',
    registrar: embedded.registrar,
    store: embedded.store,
    audit: embedded.audit,
    security: () =>
      embedded.signed ??
      openEmbeddedSecurity(embedded.database, settings.dataDir, systemClock),
    close: () => embedded.close(),
  };
}

/**
 * A deployed stack, through the AWS adapters the functions use, with the
 * caller's AWS credentials, region and endpoint (`AWS_ENDPOINT_URL`).
 *
 * Its names come from the stack's outputs (`M2M_STACK`), or from the
 * variables the functions read (`M2M_TABLE_NAME`, `M2M_ENROLLMENT_KEY_ID`,
 * `M2M_REGISTRATION_KEY_ID`, `M2M_SCHEDULE_GROUP`). It never arms a timer,
 * so it needs no schedule target, as the expiry function.
 */
async function openAwsBackend(
  env: Env,
  logger: Logger,
): Promise<OperatorBackend> {
  await requireRegion();
  const stack = (env.M2M_STACK ?? '').trim();
  const names = stack === '' ? {} : await stackVariables(stack);
  const settings = readAwsSettings({ ...env, ...names }, 'expiry');
  const clients = createAwsClients();
  const aws = composeAwsRegistrar(settings, { clients, logger });
  const security: OperatorSecurity = {
    enrollments: aws.enrollments,
    derivation: createKeyDerivation(aws.rootKeys, {
      now: () => systemClock.now(),
    }),
  };
  return {
    kind: 'aws',
    registrar: aws.registrar,
    store: aws.store,
    audit: aws.audit,
    security: () => security,
    async close() {
      clients.dynamo.destroy();
      clients.kms.destroy();
      clients.scheduler.destroy();
    },
  };
}

/**
 * Fails with a {@link SettingError} when the SDK finds no usable region
 * (`AWS_REGION`, or the profile's `region`), before any AWS call.
 */
async function requireRegion(): Promise<void> {
  const client = new CloudFormationClient({});
  try {
    await client.config.region();
  } catch {
    throw new SettingError(
      'AWS_REGION',
      'no valid AWS region is set (set AWS_REGION, or region in the ' +
        'AWS profile)',
    );
  } finally {
    client.destroy();
  }
}

async function stackVariables(stack: string): Promise<Record<string, string>> {
  const client = new CloudFormationClient({});
  try {
    return await readStackVariables(client, stack);
  } catch (error) {
    if (error instanceof StackLookupError) {
      throw new CommandFailedError(error.message);
    }
    throw error;
  } finally {
    client.destroy();
  }
}
