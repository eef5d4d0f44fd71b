import {
  ConditionalCheckFailedException,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoEnrollmentStore } from '#registrar/adapters/aws/dynamo-enrollments.ts';
import { DynamoFailureCounters } from '#registrar/adapters/aws/dynamo-failure-counters.ts';
import { DynamoReplayGuard } from '#registrar/adapters/aws/dynamo-replay-guard.ts';
import {
  type Enrollment,
  EnrollmentExistsError,
} from '#registrar/ports/enrollments.ts';

const dynamo = mockClient(DynamoDBDocumentClient);

const table = 'm2m-registrar';

function client(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({}));
}

function conditionFailed(): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
  });
}

const enrollment: Enrollment = {
  id: 'plant-7',
  originators: ['Csensor-*'],
  apps: ['Nmeter'],
  defaultLifetimeS: 3600,
  maxLifetimeS: 86400,
  targets: ['/id-mn1'],
  state: 'active',
  keyVersion: 1,
  createdAt: 1_700_000_000_000,
};

beforeEach(() => {
  dynamo.reset();
});

describe('DynamoEnrollmentStore', () => {
  it('inserts an enrollment only when its id is new', async () => {
    dynamo.on(PutCommand).resolves({});

    await new DynamoEnrollmentStore(client(), table).insert(enrollment);

    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: table,
      Item: { pk: 'ENR', sk: 'plant-7', ...enrollment },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('throws EnrollmentExistsError for a taken id', async () => {
    dynamo.on(PutCommand).rejects(conditionFailed());

    const attempt = new DynamoEnrollmentStore(client(), table).insert(
      enrollment,
    );

    await expect(attempt).rejects.toBeInstanceOf(EnrollmentExistsError);
  });

  it('finds an enrollment by id without the table keys', async () => {
    dynamo
      .on(GetCommand)
      .resolves({ Item: { pk: 'ENR', sk: 'plant-7', ...enrollment } });

    const found = await new DynamoEnrollmentStore(client(), table).find(
      'plant-7',
    );

    expect(found).toEqual(enrollment);
    expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: table,
      Key: { pk: 'ENR', sk: 'plant-7' },
      ConsistentRead: true,
    });
  });

  it('lists the enrollment partition in id order', async () => {
    dynamo.on(QueryCommand).resolves({
      Items: [{ pk: 'ENR', sk: 'plant-7', ...enrollment }],
    });

    const listed = await new DynamoEnrollmentStore(client(), table).list();

    expect(listed).toEqual([enrollment]);
    expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'ENR' },
      ConsistentRead: true,
    });
  });

  it('replaces all but the id and creation time of an existing enrollment', async () => {
    dynamo.on(UpdateCommand).resolves({});

    const replaced = await new DynamoEnrollmentStore(client(), table).replace({
      ...enrollment,
      state: 'disabled',
      createdAt: 1,
    });

    expect(replaced).toBe(true);
    const input = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input?.Key).toEqual({ pk: 'ENR', sk: 'plant-7' });
    expect(input?.ConditionExpression).toBe('attribute_exists(pk)');
    expect(input?.ExpressionAttributeValues).toEqual({
      ':originators': ['Csensor-*'],
      ':apps': ['Nmeter'],
      ':defaultLifetimeS': 3600,
      ':maxLifetimeS': 86400,
      ':targets': ['/id-mn1'],
      ':state': 'disabled',
      ':keyVersion': 1,
    });
    expect(input?.UpdateExpression).not.toContain('createdAt');
  });

  it('returns false when replacing an unknown enrollment', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());

    const replaced = await new DynamoEnrollmentStore(client(), table).replace(
      enrollment,
    );

    expect(replaced).toBe(false);
  });
});

describe('DynamoReplayGuard', () => {
  const until = Date.parse('2026-03-01T12:05:00.500Z');
  const now = Date.parse('2026-03-01T12:00:00.000Z');

  it('claims a pair with one conditional put that outlives its window', async () => {
    dynamo.on(PutCommand).resolves({});

    const claimed = await new DynamoReplayGuard(client(), table).claim(
      'reg:Cdev:0',
      'n0nce-n0nce-n0nce',
      until,
      now,
    );

    expect(claimed).toBe(true);
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: table,
      Item: {
        pk: 'NONCE#reg:Cdev:0',
        sk: 'n0nce-n0nce-n0nce',
        until,
        ttl: Math.ceil(until / 1000),
      },
      ConditionExpression: 'attribute_not_exists(pk) OR #until <= :now',
      ExpressionAttributeNames: { '#until': 'until' },
      ExpressionAttributeValues: { ':now': now },
    });
  });

  it('refuses a pair that is still remembered', async () => {
    dynamo.on(PutCommand).rejects(conditionFailed());

    const claimed = await new DynamoReplayGuard(client(), table).claim(
      'reg:Cdev:0',
      'n0nce-n0nce-n0nce',
      until,
      now,
    );

    expect(claimed).toBe(false);
  });

  it('propagates any other failure', async () => {
    dynamo.on(PutCommand).rejects(new Error('unavailable'));

    const attempt = new DynamoReplayGuard(client(), table).claim(
      'k',
      'n',
      until,
      now,
    );

    await expect(attempt).rejects.toThrow('unavailable');
  });
});

describe('DynamoFailureCounters', () => {
  const at = 1_000_000;
  const forgetBefore = 400_000;
  const ttl = Math.ceil((at + 600_000 + 86_400_000) / 1000);

  it('increments a counter whose last failure is remembered', async () => {
    dynamo
      .on(UpdateCommand)
      .resolves({ Attributes: { count: 3, lastFailureAt: at } });

    const record = await new DynamoFailureCounters(
      client(),
      table,
    ).recordFailure('plant-7', at, forgetBefore);

    expect(record).toEqual({ count: 3, lastFailureAt: at });
    expect(dynamo.calls()).toHaveLength(1);
    expect(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input).toEqual({
      TableName: table,
      Key: { pk: 'FAIL#plant-7', sk: 'FAIL' },
      UpdateExpression: 'SET #count = #count + :one, #last = :at, #ttl = :ttl',
      ConditionExpression: '#last >= :forgetBefore',
      ExpressionAttributeNames: {
        '#count': 'count',
        '#last': 'lastFailureAt',
        '#ttl': 'ttl',
      },
      ExpressionAttributeValues: {
        ':one': 1,
        ':at': at,
        ':ttl': ttl,
        ':forgetBefore': forgetBefore,
      },
      ReturnValues: 'ALL_NEW',
    });
  });

  it('restarts at 1 when there is no remembered failure', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    dynamo.on(PutCommand).resolves({});

    const record = await new DynamoFailureCounters(
      client(),
      table,
    ).recordFailure('plant-7', at, forgetBefore);

    expect(record).toEqual({ count: 1, lastFailureAt: at });
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: table,
      Item: {
        pk: 'FAIL#plant-7',
        sk: 'FAIL',
        count: 1,
        lastFailureAt: at,
        ttl,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR #last < :forgetBefore',
      ExpressionAttributeNames: { '#last': 'lastFailureAt' },
      ExpressionAttributeValues: { ':forgetBefore': forgetBefore },
    });
  });

  it('increments again when a concurrent failure restarted the counter first', async () => {
    dynamo
      .on(UpdateCommand)
      .rejectsOnce(conditionFailed())
      .resolves({ Attributes: { count: 2, lastFailureAt: at } });
    dynamo.on(PutCommand).rejects(conditionFailed());

    const record = await new DynamoFailureCounters(
      client(),
      table,
    ).recordFailure('plant-7', at, forgetBefore);

    expect(record).toEqual({ count: 2, lastFailureAt: at });
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(2);
  });

  it('reads and clears a counter by subject', async () => {
    dynamo.on(GetCommand).resolves({
      Item: { pk: 'FAIL#s', sk: 'FAIL', count: 2, lastFailureAt: 5 },
    });
    dynamo.on(DeleteCommand).resolves({});
    const counters = new DynamoFailureCounters(client(), table);

    const record = await counters.read('s');
    await counters.clear('s');

    expect(record).toEqual({ count: 2, lastFailureAt: 5 });
    expect(dynamo.commandCalls(DeleteCommand)[0]?.args[0].input).toEqual({
      TableName: table,
      Key: { pk: 'FAIL#s', sk: 'FAIL' },
    });
  });
});
