import { createHmac } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateScheduleCommand,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  vi,
} from 'vitest';
import type { RootKeyName } from '#registrar/ports/keys.ts';
import { createKeyDerivation } from '#registrar/security/derivation.ts';
import { signRequest } from '#registrar/security/http-signature.ts';
import { functionEnvironment, httpEvent, lambdaContext } from './events.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
const kms = mockClient(KMSClient);
const scheduler = mockClient(SchedulerClient);

const now = Date.parse('2026-03-01T12:00:00.000Z');

/** Stand-ins for the two KMS keys, by the ids in the environment. */
const rootKeyBytes: Record<string, Buffer> = {
  [functionEnvironment.M2M_ENROLLMENT_KEY_ID]: Buffer.alloc(32, 1),
  [functionEnvironment.M2M_REGISTRATION_KEY_ID]: Buffer.alloc(32, 2),
};

function kmsMac(keyId: string, message: Uint8Array): Uint8Array {
  const key = rootKeyBytes[keyId];
  if (key === undefined) {
    throw new Error(`unknown key ${keyId}`);
  }
  return new Uint8Array(createHmac('sha256', key).update(message).digest());
}

/** The same derivation as the registrar's, over the stand-in keys. */
const derivation = createKeyDerivation({
  mac: async (root: RootKeyName, message: Uint8Array) =>
    kmsMac(
      root === 'enrollment'
        ? functionEnvironment.M2M_ENROLLMENT_KEY_ID
        : functionEnvironment.M2M_REGISTRATION_KEY_ID,
      message,
    ),
});

const enrollmentItem = {
  pk: 'ENR',
  sk: 'plant-7',
  id: 'plant-7',
  originators: ['Csensor-*'],
  apps: ['Nmeter'],
  defaultLifetimeS: 3600,
  maxLifetimeS: 86400,
  targets: [],
  state: 'active',
  keyVersion: 1,
  createdAt: now - 86_400_000,
};

async function signedRegistration(originator = 'Csensor-1') {
  const body = JSON.stringify({
    'm2m:ae': { api: 'Nmeter', rr: false, srv: ['3'] },
  });
  const headers = {
    'content-type': 'application/json;ty=2',
    'x-m2m-origin': originator,
    'x-m2m-ri': 'r1',
    'x-m2m-rvi': '3',
  };
  const signature = signRequest(
    { method: 'POST', path: '/cse-in', query: '', headers, body },
    {
      keyid: 'enr:plant-7:1',
      key: await derivation.masterCredential('plant-7', 1),
      created: now / 1000,
    },
  );
  return httpEvent({
    method: 'POST',
    rawPath: '/cse-in',
    headers: {
      ...headers,
      'content-digest': signature['Content-Digest'],
      'signature-input': signature['Signature-Input'],
      signature: signature.Signature,
    },
    body: Buffer.from(body).toString('base64'),
    isBase64Encoded: true,
  });
}

async function loadHandler() {
  const { M2M_FORCE_OPEN: _, ...env } = functionEnvironment;
  for (const [name, value] of Object.entries(env)) {
    vi.stubEnv(name, value);
  }
  vi.stubEnv('M2M_SECURITY', 'signed');
  vi.stubEnv('M2M_LOCKOUT_DELAY_MS', '0');
  const module = await import('#registrar/handlers/api.ts');
  return module.handler;
}

describe('api handler in signed mode', () => {
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'], now });
  });

  afterAll(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  beforeEach(() => {
    vi.resetModules();
    dynamo.reset();
    kms.reset();
    scheduler.reset();
    kms.on(GenerateMacCommand).callsFake((input) => ({
      Mac: kmsMac(input.KeyId, input.Message),
    }));
    dynamo.on(GetCommand).resolves({});
    dynamo
      .on(GetCommand, { Key: { pk: 'ENR', sk: 'plant-7' } })
      .resolves({ Item: enrollmentItem });
    dynamo.on(PutCommand).resolves({});
    dynamo.on(DeleteCommand).resolves({});
    dynamo.on(TransactWriteCommand).resolves({});
    scheduler.on(CreateScheduleCommand).resolves({});
  });

  it('registers an AE whose request is signed with its master credential', async () => {
    const handler = await loadHandler();

    const result = await handler(await signedRegistration(), lambdaContext());

    expect(result.headers?.['X-M2M-RSC']).toBe('2001');
    const cred = JSON.parse(String(result.body))['m2m-registrar:cred'];
    const stored =
      dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input
        .TransactItems?.[0]?.Put?.Item;
    const secret = await derivation.registrationSecret({
      aei: 'Csensor-1',
      salt: String(stored?.salt),
      generation: 0,
    });
    expect(cred).toMatchObject({
      kid: 'reg:Csensor-1:0',
      key: Buffer.from(secret).toString('base64url'),
      alg: 'hmac-sha256',
    });
  });

  it('derives each key with one GenerateMac under its own root key', async () => {
    const handler = await loadHandler();

    await handler(await signedRegistration(), lambdaContext());

    const keyIds = kms
      .commandCalls(GenerateMacCommand)
      .map((call) => call.args[0].input.KeyId);
    expect(keyIds).toEqual([
      'alias/m2m-enrollment-root',
      'alias/m2m-registration-root',
    ]);
  });

  it('refuses the same signed request a second time', async () => {
    const handler = await loadHandler();
    const event = await signedRegistration();
    await handler(event, lambdaContext());
    dynamo.on(PutCommand, { Item: { pk: 'NONCE#enr:plant-7:1' } }).rejects(
      new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
      }),
    );

    const replayed = await handler(event, lambdaContext());

    expect(replayed.headers?.['X-M2M-RSC']).toBe('4106');
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('derives the master credential once for two registrations in a row', async () => {
    const handler = await loadHandler();

    await handler(await signedRegistration(), lambdaContext());
    await handler(await signedRegistration('Csensor-2'), lambdaContext());

    const keyIds = kms
      .commandCalls(GenerateMacCommand)
      .map((call) => call.args[0].input.KeyId);
    expect(keyIds).toEqual([
      'alias/m2m-enrollment-root',
      'alias/m2m-registration-root',
      'alias/m2m-registration-root',
    ]);
  });

  it('answers 4106 to an unsigned request without touching KMS', async () => {
    const handler = await loadHandler();
    const unsigned = await signedRegistration();
    delete unsigned.headers.signature;

    const result = await handler(unsigned, lambdaContext());

    expect(result.headers?.['X-M2M-RSC']).toBe('4106');
    expect(kms.calls()).toHaveLength(0);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});
