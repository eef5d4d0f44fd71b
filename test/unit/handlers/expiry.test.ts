import {
  DeleteScheduleCommand,
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
import { functionEnvironment, lambdaContext } from './events.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
const scheduler = mockClient(SchedulerClient);

const now = Date.parse('2026-03-01T12:00:00.000Z');

function storedItem(expiresAt: number) {
  return {
    pk: 'REG#Clight',
    sk: 'REG',
    aei: 'Clight',
    rn: 'lightApp',
    attributes: '{"api":"Nlight","rr":true,"srv":["3"]}',
    createdAt: now - 7_200_000,
    modifiedAt: now - 7_200_000,
    expiresAt,
    version: 3,
    salt: 'c2FsdA',
    generation: 0,
  };
}

async function loadHandler() {
  const {
    M2M_SCHEDULER_ROLE_ARN: _,
    M2M_EXPIRY_FUNCTION_ARN: __,
    M2M_SCHEDULE_DLQ_ARN: ___,
    ...env
  } = functionEnvironment;
  for (const [name, value] of Object.entries(env)) {
    vi.stubEnv(name, value);
  }
  const module = await import('#registrar/handlers/expiry.ts');
  return module.handler;
}

describe('expiry handler', () => {
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

  it('ends an expired registration at its loaded version', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedItem(now - 1) });
    dynamo.on(TransactWriteCommand).resolves({});
    dynamo.on(PutCommand).resolves({});
    scheduler.on(DeleteScheduleCommand).resolves({});
    const handler = await loadHandler();

    await handler({ aei: 'Clight' }, lambdaContext());

    const deletes = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input;
    expect(deletes?.TransactItems?.[0]?.Delete).toMatchObject({
      Key: { pk: 'REG#Clight', sk: 'REG' },
      ConditionExpression: '#version = :expected',
      ExpressionAttributeValues: { ':expected': 3 },
    });
    expect(
      scheduler.commandCalls(DeleteScheduleCommand)[0]?.args[0].input,
    ).toEqual({ Name: 'Clight', GroupName: 'm2m-expiry' });
    expect(
      dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item,
    ).toMatchObject({ pk: 'AUDIT#Clight', action: 'expired', actor: 'timer' });
  });

  it.each([
    [
      'a registration renewed after the timer was set',
      storedItem(now + 60_000),
    ],
    ['a registration that is gone', undefined],
  ])('does nothing for %s', async (_, item) => {
    dynamo.on(GetCommand).resolves(item === undefined ? {} : { Item: item });
    const handler = await loadHandler();

    await handler({ aei: 'Clight' }, lambdaContext());

    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(scheduler.calls()).toHaveLength(0);
  });

  it.each([
    ['expired', 'an expired registration', storedItem(now - 1)],
    ['skipped', 'a renewed registration', storedItem(now + 60_000)],
    ['skipped', 'a registration that is gone', undefined],
  ])('counts the outcome %s for %s', async (outcome, _, item) => {
    dynamo.on(GetCommand).resolves(item === undefined ? {} : { Item: item });
    dynamo.on(TransactWriteCommand).resolves({});
    dynamo.on(PutCommand).resolves({});
    scheduler.on(DeleteScheduleCommand).resolves({});
    const handler = await loadHandler();
    const { metrics } = await import('#registrar/handlers/observability.ts');
    const dimensions = vi.spyOn(metrics, 'addDimensions');

    await handler({ aei: 'Clight' }, lambdaContext());

    expect(dimensions).toHaveBeenCalledWith({ operation: 'expire', outcome });
    dimensions.mockRestore();
  });

  it('drops a malformed event without touching anything', async () => {
    const handler = await loadHandler();

    const outcome = handler({ stem: 'Clight' }, lambdaContext());

    await expect(outcome).resolves.toBeUndefined();
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('throws when DynamoDB fails, so that the invocation is retried', async () => {
    dynamo.on(GetCommand).rejects(new Error('unavailable'));
    const handler = await loadHandler();

    const outcome = handler({ aei: 'Clight' }, lambdaContext());

    await expect(outcome).rejects.toThrow('unavailable');
  });
});
