import { createHmac } from 'node:crypto';
import {
  CloudFormationClient,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { GenerateMacCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backendKind } from '#registrar/cli/backend.ts';
import { main } from '#registrar/cli/main.ts';
import { createKeyDerivation } from '#registrar/security/derivation.ts';
import { FakeCloud } from '../aws/fake-cloud.ts';
import {
  clock,
  createAe,
  registrarOverAws,
  rsc,
  START,
} from '../aws/registrar-over-aws.ts';

/*
 * The operator commands against a deployed stack: the same command code
 * as on the data folder, over the AWS adapters, whose SDK clients are
 * mocked (FakeCloud keeps table items and schedules in memory).
 */
const cloud = new FakeCloud();
const cloudFormation = mockClient(CloudFormationClient);

const ENROLLMENT_ALIAS = 'alias/M2mRegistrar/enrollment-root';

const outputs = {
  TableName: 'M2mRegistrar-Table-1X',
  EnrollmentKeyAlias: ENROLLMENT_ALIAS,
  RegistrationKeyAlias: 'alias/M2mRegistrar/registration-root',
  ScheduleGroupName: 'M2mRegistrar-expiry',
};

/** No M2M_DATA_DIR: a command that fell back to the data folder would fail. */
const env = { AWS_REGION: 'eu-west-1', M2M_DATA_DIR: '/nonexistent/m2m' };

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, env, {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
  });
  return { code, out: out.join(''), err: err.join('') };
}

// biome-ignore lint/suspicious/noExplicitAny: tests walk printed JSON freely
function json(text: string): any {
  return JSON.parse(text);
}

beforeEach(() => {
  // The SDK resolves the region from the process, not from `env`.
  vi.stubEnv('AWS_REGION', env.AWS_REGION);
  cloud.reset();
  clock.time = START;
  cloudFormation.reset();
  cloudFormation.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'M2mRegistrar',
        StackStatus: 'CREATE_COMPLETE',
        CreationTime: new Date(),
        Outputs: Object.entries(outputs).map(([key, value]) => ({
          OutputKey: key,
          OutputValue: value,
        })),
      },
    ],
  });
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('backendKind', () => {
  it.each([
    [{}, 'embedded'],
    [{ M2M_DATA_DIR: './.data' }, 'embedded'],
    [{ M2M_STACK: ' ' }, 'embedded'],
    [{ M2M_STACK: 'M2mRegistrar' }, 'aws'],
    [{ M2M_TABLE_NAME: 'registrar' }, 'aws'],
  ])('picks the backend of %j: %s', (settings, kind) => {
    expect(backendKind(settings)).toBe(kind);
  });
});

describe('operator commands against a stack (--stack)', () => {
  it('lists the registrations of the stack named by --stack', async () => {
    const { registrar } = registrarOverAws('open');
    expect(rsc(await registrar.handle(createAe('Clight', 'lightApp')))).toBe(
      '2001',
    );

    const listed = await run(
      'registration',
      'list',
      '--stack',
      'M2mRegistrar',
      '--json',
    );

    expect(listed.err).toBe('');
    expect(listed.code).toBe(0);
    expect(json(listed.out)).toEqual([
      expect.objectContaining({ aei: 'Clight', rn: 'lightApp' }),
    ]);
    expect(
      cloudFormation.commandCalls(DescribeStacksCommand)[0]?.args[0].input,
    ).toEqual({ StackName: 'M2mRegistrar' });
  });

  it('revokes a registration: record, name claim and schedule go, audited', async () => {
    // The command runs on the system clock: register in the present.
    clock.time = Date.now();
    const { registrar } = registrarOverAws('open');
    await registrar.handle(createAe('Clight', 'lightApp'));

    const revoked = await run(
      'registration',
      'revoke',
      'Clight',
      '--stack',
      'M2mRegistrar',
    );
    const audit = await run(
      'registration',
      'audit',
      'Clight',
      '--stack',
      'M2mRegistrar',
      '--json',
    );

    expect(revoked).toMatchObject({ code: 0, out: 'revoked Clight\n' });
    expect(cloud.itemsUnder('REG#')).toEqual([]);
    expect(cloud.itemsUnder('NAME#')).toEqual([]);
    expect(cloud.schedules.size).toBe(0);
    expect(json(audit.out).map((r: { action: string }) => r.action)).toEqual([
      'registered',
      'revoked',
    ]);
  });

  it('creates an enrollment in the table and derives its credential with the stack key', async () => {
    const created = await run(
      'enrollment',
      'create',
      '--id',
      'plant-7',
      '--originators',
      'Csensor-*',
      '--stack',
      'M2mRegistrar',
      '--json',
    );
    const again = await run(
      'enrollment',
      'credential',
      'plant-7',
      '--stack',
      'M2mRegistrar',
      '--json',
    );

    // FakeCloud's GenerateMac is HMAC keyed by the key id it is given.
    const expected = await createKeyDerivation({
      mac: async (_root, message) =>
        createHmac('sha256', ENROLLMENT_ALIAS).update(message).digest(),
    }).masterCredential('plant-7', 1);
    expect(created.code).toBe(0);
    expect(json(created.out).enrollment).toMatchObject({
      id: 'plant-7',
      keyid: 'enr:plant-7:1',
      originators: ['Csensor-*'],
    });
    expect(json(created.out).masterCredential).toBe(
      Buffer.from(expected).toString('base64url'),
    );
    expect(json(again.out).masterCredential).toBe(
      json(created.out).masterCredential,
    );
    expect(cloud.items.get(JSON.stringify(['ENR', 'plant-7']))).toMatchObject({
      id: 'plant-7',
      state: 'active',
    });
    expect(
      cloud.kms
        .commandCalls(GenerateMacCommand)
        .map((call) => call.args[0].input.KeyId),
    ).toEqual([ENROLLMENT_ALIAS, ENROLLMENT_ALIAS]);
  });

  it('fails with exit status 1 naming a stack CloudFormation does not know', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(
      Object.assign(new Error('Stack with id Nope does not exist'), {
        name: 'ValidationError',
      }),
    );

    const listed = await run('registration', 'list', '--stack', 'Nope');

    expect(listed.code).toBe(1);
    expect(listed.err).toBe('m2m-registrar: no stack Nope\n');
    expect(cloud.dynamo.calls()).toHaveLength(0);
  });

  it.each([
    ['unset', undefined],
    ['empty', ''],
  ])(
    'fails with exit status 2 naming AWS_REGION when it is %s',
    async (_, region) => {
      vi.stubEnv('AWS_REGION', region);
      vi.stubEnv('AWS_DEFAULT_REGION', undefined);
      vi.stubEnv('AWS_PROFILE', undefined);
      vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/aws-config');

      const listed = await run(
        'registration',
        'list',
        '--stack',
        'M2mRegistrar',
      );

      expect(listed.code).toBe(2);
      expect(listed.err).toMatch(/^m2m-registrar: AWS_REGION: .*\n$/);
      expect(listed.err.split('\n')).toHaveLength(2);
      expect(cloudFormation.calls()).toHaveLength(0);
    },
  );
});

describe('operator commands against a stack (function variables)', () => {
  it('uses M2M_TABLE_NAME and the key ids without asking CloudFormation', async () => {
    const { registrar } = registrarOverAws('open');
    await registrar.handle(createAe('Clight', 'lightApp'));

    const shown = await run(
      'registration',
      'show',
      'Clight',
      '--M2M_TABLE_NAME',
      'registrar',
      '--M2M_ENROLLMENT_KEY_ID',
      ENROLLMENT_ALIAS,
      '--M2M_REGISTRATION_KEY_ID',
      'alias/r',
      '--M2M_SCHEDULE_GROUP',
      'expiry',
      '--json',
    );

    expect(shown.code).toBe(0);
    expect(json(shown.out)).toMatchObject({ aei: 'Clight', rn: 'lightApp' });
    expect(cloudFormation.calls()).toHaveLength(0);
  });

  it('names the first missing variable with exit status 2', async () => {
    const listed = await run(
      'registration',
      'list',
      '--M2M_TABLE_NAME',
      'registrar',
    );

    expect(listed.code).toBe(2);
    expect(listed.err).toMatch(/M2M_ENROLLMENT_KEY_ID/);
  });
});
