import {
  type RegistrarSettings,
  readRegistrarSettings,
  SettingError,
} from '#registrar/commons/settings.ts';
import {
  readSecuritySettings,
  type SecuritySettings,
} from '#registrar/security/security-settings.ts';
import type { RootKeyIds } from './kms-root-keys.ts';
import type {
  SchedulerTimersConfig,
  ScheduleTarget,
} from './scheduler-timers.ts';

/**
 * What the Lambda functions read from their environment, on top of the
 * registrar settings (`M2M_CSE_ID`, `M2M_SECURITY`, ...) and the signed
 * mode settings (`M2M_ROTATION_GRACE_S`, `M2M_LOCKOUT_*`, ...):
 *
 * | Variable | Meaning |
 * | --- | --- |
 * | `M2M_TABLE_NAME` | the DynamoDB table (layout in `table.ts`) |
 * | `M2M_ENROLLMENT_KEY_ID` | KMS HMAC_256 key of the enrollment root |
 * | `M2M_REGISTRATION_KEY_ID` | KMS HMAC_256 key of the registration root |
 * | `M2M_SCHEDULE_GROUP` | the Scheduler group of the expiry schedules |
 * | `M2M_SCHEDULER_ROLE_ARN` | the role Scheduler invokes the expiry with |
 * | `M2M_EXPIRY_FUNCTION_ARN` | the expiry function |
 * | `M2M_SCHEDULE_DLQ_ARN` | the SQS dead-letter queue of the schedules |
 * | `M2M_FORCE_OPEN` | `true` to allow `M2M_SECURITY=open` in the cloud |
 *
 * Key ids may be ids, ARNs or aliases. All but `M2M_FORCE_OPEN` are
 * required, except that the expiry and sweep functions, which never arm a
 * timer, need none of `M2M_SCHEDULER_ROLE_ARN`, `M2M_EXPIRY_FUNCTION_ARN`,
 * `M2M_SCHEDULE_DLQ_ARN` (in the expiry function they would make its own
 * ARN part of its own definition).
 */
export interface AwsSettings {
  readonly registrar: RegistrarSettings;
  readonly security: SecuritySettings;
  readonly tableName: string;
  readonly rootKeyIds: RootKeyIds;
  readonly timers: SchedulerTimersConfig;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Which function reads the settings: the API function arms timers, the
 * expiry function only disarms them.
 */
export type FunctionRole = 'api' | 'expiry';

function required(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new SettingError(name, 'is required in the cloud and is not set');
  }
  return value;
}

function forcedOpen(env: Env): boolean {
  const value = env.M2M_FORCE_OPEN ?? '';
  if (value !== '' && value !== 'true' && value !== 'false') {
    throw new SettingError(
      'M2M_FORCE_OPEN',
      `expected "true" or "false", got "${value}"`,
    );
  }
  return value === 'true';
}

/**
 * Reads the Lambda functions' settings from `env`.
 *
 * @throws {SettingError} naming the first missing or malformed variable, and
 *   for `M2M_SECURITY=open` without `M2M_FORCE_OPEN=true`.
 */
export function readAwsSettings(
  env: Env,
  role: FunctionRole = 'api',
): AwsSettings {
  const registrar = readRegistrarSettings(env);
  if (registrar.security === 'open' && !forcedOpen(env)) {
    throw new SettingError(
      'M2M_SECURITY',
      'open mode accepts unsigned requests; the cloud deployment refuses ' +
        'it unless M2M_FORCE_OPEN=true',
    );
  }
  return {
    registrar,
    security: readSecuritySettings(env),
    tableName: required(env, 'M2M_TABLE_NAME'),
    rootKeyIds: {
      enrollment: required(env, 'M2M_ENROLLMENT_KEY_ID'),
      registration: required(env, 'M2M_REGISTRATION_KEY_ID'),
    },
    timers: {
      groupName: required(env, 'M2M_SCHEDULE_GROUP'),
      target: role === 'api' ? scheduleTarget(env) : undefined,
    },
  };
}

function scheduleTarget(env: Env): ScheduleTarget {
  return {
    roleArn: required(env, 'M2M_SCHEDULER_ROLE_ARN'),
    targetArn: required(env, 'M2M_EXPIRY_FUNCTION_ARN'),
    deadLetterArn: required(env, 'M2M_SCHEDULE_DLQ_ARN'),
  };
}
