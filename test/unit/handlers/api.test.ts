import {
  CreateScheduleCommand,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import {
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
import { functionEnvironment, httpEvent, lambdaContext } from './events.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
const scheduler = mockClient(SchedulerClient);

const now = Date.parse('2026-03-01T12:00:00.000Z');

function stubFunctionEnvironment(): void {
  for (const [name, value] of Object.entries(functionEnvironment)) {
    vi.stubEnv(name, value);
  }
}

async function loadHandler() {
  stubFunctionEnvironment();
  const api = await import('#registrar/handlers/api.ts');
  const observability = await import('#registrar/handlers/observability.ts');
  return { handler: api.handler, metrics: observability.metrics };
}

function registrationEvent(body: unknown) {
  return httpEvent({
    method: 'POST',
    rawPath: '/cse-in',
    headers: {
      'content-type': 'application/json;ty=2',
      'x-m2m-origin': 'Clight',
      'x-m2m-ri': 'r1',
      'x-m2m-rvi': '3',
    },
    body: Buffer.from(JSON.stringify(body)).toString('base64'),
    isBase64Encoded: true,
  });
}

const aeBody = {
  'm2m:ae': { rn: 'lightApp', api: 'Nlight', rr: true, srv: ['3'] },
};

describe('api handler', () => {
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'], now });
  });

  afterAll(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  beforeEach(() => {
    dynamo.reset();
    scheduler.reset();
  });

  it('registers an AE from a base64 payload 2.0 event over the AWS adapters', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(TransactWriteCommand).resolves({});
    dynamo.on(PutCommand).resolves({});
    scheduler.on(CreateScheduleCommand).resolves({});
    const { handler } = await loadHandler();

    const result = await handler(registrationEvent(aeBody), lambdaContext());

    expect(result.statusCode).toBe(201);
    expect(result.headers?.['X-M2M-RSC']).toBe('2001');
    const ae = JSON.parse(String(result.body))['m2m:ae'];
    expect(ae).toMatchObject({ aei: 'Clight', rn: 'lightApp', api: 'Nlight' });
    const transact =
      dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input;
    expect(transact?.TransactItems?.map((item) => item.Put?.Item?.pk)).toEqual([
      'REG#Clight',
      'NAME#lightApp',
    ]);
    expect(
      scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input,
    ).toMatchObject({
      Name: 'Clight',
      GroupName: 'm2m-expiry',
      ScheduleExpression: 'at(2026-03-01T13:00:00)',
      Target: { Input: '{"aei":"Clight"}' },
    });
    expect(
      dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item,
    ).toMatchObject({
      pk: 'AUDIT#Clight',
      action: 'registered',
      actor: 'Clight',
    });
  });

  it('answers 4117 for a stem that is registered, with no write', async () => {
    const stored = {
      pk: 'REG#Clight',
      sk: 'REG',
      aei: 'Clight',
      rn: 'lightApp',
      attributes: '{"api":"Nlight","rr":true,"srv":["3"]}',
      createdAt: now - 1000,
      modifiedAt: now - 1000,
      expiresAt: now + 3_600_000,
      version: 1,
      salt: 'c2FsdA',
      generation: 0,
    };
    dynamo.on(GetCommand).resolves({ Item: stored });
    const { handler } = await loadHandler();

    const result = await handler(registrationEvent(aeBody), lambdaContext());

    expect(result.headers?.['X-M2M-RSC']).toBe('4117');
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(scheduler.calls()).toHaveLength(0);
  });

  it('answers 5000 with a fixed message when DynamoDB fails', async () => {
    dynamo.on(GetCommand).rejects(new Error('table gone: secret detail'));
    const { handler } = await loadHandler();

    const result = await handler(registrationEvent(aeBody), lambdaContext());

    expect(result.statusCode).toBe(500);
    expect(result.headers?.['X-M2M-RSC']).toBe('5000');
    expect(result.body).not.toContain('secret detail');
  });

  it('counts the request under its operation and response code only', async () => {
    dynamo.on(GetCommand).resolves({});
    const { handler, metrics } = await loadHandler();
    const dimensions = vi.spyOn(metrics, 'addDimensions');
    const metric = vi.spyOn(metrics, 'addMetric');
    const retrieve = httpEvent({
      rawPath: '/cse-in/nothing',
      headers: { 'x-m2m-origin': 'Clight', 'x-m2m-ri': 'r2', 'x-m2m-rvi': '3' },
    });

    await handler(retrieve, lambdaContext());

    expect(dimensions).toHaveBeenCalledWith({
      operation: 'retrieve',
      rsc: '4004',
    });
    expect(metric).toHaveBeenCalledWith('requests', 'Count', 1);
  });

  it.each([
    ['an empty object', {}],
    ['null', null],
    ['a string', 'secret-looking text'],
    ['a payload 1.0 event', { httpMethod: 'GET', path: '/cse-in' }],
    [
      'an event without rawPath',
      { requestContext: { http: { method: 'GET' } } },
    ],
  ])('answers 4000 to %s, logging its shape only', async (_, event) => {
    const { handler } = await loadHandler();
    const { powertoolsLogger } = await import(
      '#registrar/handlers/observability.ts'
    );
    const logged = vi.spyOn(powertoolsLogger, 'error');

    const result = await handler(
      event as unknown as Parameters<typeof handler>[0],
      lambdaContext(),
    );

    expect(result.statusCode).toBe(400);
    expect(result.headers?.['X-M2M-RSC']).toBe('4000');
    expect(JSON.parse(String(result.body))['m2m:dbg']).toMatch(/HTTP API/);
    expect(dynamo.calls()).toHaveLength(0);
    expect(logged).toHaveBeenCalledWith(
      'malformed api event',
      expect.objectContaining({ type: expect.any(String) }),
    );
    expect(JSON.stringify(logged.mock.calls)).not.toMatch(
      /secret-looking|\/cse-in|"GET"/,
    );
  });

  it('fails at cold start naming a missing variable', async () => {
    vi.resetModules();
    stubFunctionEnvironment();
    vi.stubEnv('M2M_TABLE_NAME', '');

    const loading = import('#registrar/handlers/api.ts');

    await expect(loading).rejects.toMatchObject({
      name: 'SettingError',
      setting: 'M2M_TABLE_NAME',
    });
  });
});
