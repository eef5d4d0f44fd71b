import { describe, expect, it } from 'vitest';
import { readAwsSettings } from '#registrar/adapters/aws/settings.ts';
import { SettingError } from '#registrar/commons/settings.ts';

const complete = {
  M2M_SECURITY: 'signed',
  M2M_TABLE_NAME: 'm2m-registrar',
  M2M_ENROLLMENT_KEY_ID: 'alias/m2m-enrollment-root',
  M2M_REGISTRATION_KEY_ID: 'alias/m2m-registration-root',
  M2M_SCHEDULE_GROUP: 'm2m-expiry',
  M2M_SCHEDULER_ROLE_ARN: 'arn:aws:iam::111122223333:role/scheduler',
  M2M_EXPIRY_FUNCTION_ARN:
    'arn:aws:lambda:eu-west-1:111122223333:function:expiry',
  M2M_SCHEDULE_DLQ_ARN: 'arn:aws:sqs:eu-west-1:111122223333:expiry-dlq',
};

function settingErrorOf(read: () => unknown): SettingError | undefined {
  try {
    read();
  } catch (error) {
    if (error instanceof SettingError) {
      return error;
    }
    throw error;
  }
  return undefined;
}

describe('readAwsSettings', () => {
  it('reads the table, the root keys and the schedule target', () => {
    const settings = readAwsSettings(complete);

    expect(settings.tableName).toBe('m2m-registrar');
    expect(settings.rootKeyIds).toEqual({
      enrollment: 'alias/m2m-enrollment-root',
      registration: 'alias/m2m-registration-root',
    });
    expect(settings.timers).toEqual({
      groupName: 'm2m-expiry',
      target: {
        roleArn: complete.M2M_SCHEDULER_ROLE_ARN,
        targetArn: complete.M2M_EXPIRY_FUNCTION_ARN,
        deadLetterArn: complete.M2M_SCHEDULE_DLQ_ARN,
      },
    });
    expect(settings.registrar.cse.cseId).toBe('/id-in');
  });

  it.each([
    'M2M_TABLE_NAME',
    'M2M_ENROLLMENT_KEY_ID',
    'M2M_REGISTRATION_KEY_ID',
    'M2M_SCHEDULE_GROUP',
    'M2M_SCHEDULER_ROLE_ARN',
    'M2M_EXPIRY_FUNCTION_ARN',
    'M2M_SCHEDULE_DLQ_ARN',
  ])('fails naming %s when it is missing', (name) => {
    const env = { ...complete, [name]: undefined };

    const error = settingErrorOf(() => readAwsSettings(env));

    expect(error?.setting).toBe(name);
  });

  it('lets the expiry function go without the schedule target', () => {
    const {
      M2M_SCHEDULER_ROLE_ARN: _,
      M2M_EXPIRY_FUNCTION_ARN: __,
      M2M_SCHEDULE_DLQ_ARN: ___,
      ...env
    } = complete;

    const settings = readAwsSettings(env, 'expiry');

    expect(settings.timers).toEqual({ groupName: 'm2m-expiry' });
  });

  it('refuses open mode unless it is forced', () => {
    const env = { ...complete, M2M_SECURITY: 'open' };

    const error = settingErrorOf(() => readAwsSettings(env));

    expect(error?.setting).toBe('M2M_SECURITY');
  });

  it('accepts open mode with M2M_FORCE_OPEN=true', () => {
    const env = { ...complete, M2M_SECURITY: 'open', M2M_FORCE_OPEN: 'true' };

    const settings = readAwsSettings(env);

    expect(settings.registrar.security).toBe('open');
  });

  it('fails naming M2M_FORCE_OPEN when it is neither true nor false', () => {
    const env = { ...complete, M2M_SECURITY: 'open', M2M_FORCE_OPEN: 'yes' };

    const error = settingErrorOf(() => readAwsSettings(env));

    expect(error?.setting).toBe('M2M_FORCE_OPEN');
  });

  it('passes on a malformed registrar setting with its name', () => {
    const env = { ...complete, M2M_CSE_ID: 'no-slash' };

    const error = settingErrorOf(() => readAwsSettings(env));

    expect(error?.setting).toBe('M2M_CSE_ID');
  });
});
