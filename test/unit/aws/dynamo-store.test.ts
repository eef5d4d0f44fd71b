import {
  DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  DynamoRegistrationStore,
  TRANSACTION_ATTEMPTS,
  transactionBackoff,
} from '#registrar/adapters/aws/dynamo-store.ts';
import {
  NameTakenError,
  StemTakenError,
  VersionConflictError,
} from '#registrar/ports/store.ts';
import type { Registration } from '#registrar/registrar/model.ts';

const dynamo = mockClient(DynamoDBDocumentClient);

const table = 'm2m-registrar';

const expiresAt = Date.parse('2026-03-01T13:00:00.500Z');
/** expiry rounded up to a second, plus the 7-day margin. */
const ttl = Math.ceil(expiresAt / 1000) + 7 * 24 * 3600;

const registration: Registration = {
  aei: 'Cdev1',
  rn: 'sensor',
  attributes: { api: 'Nacme.app', rr: true, lbl: ['a'], poa: [] },
  createdAt: Date.parse('2026-03-01T12:00:00.000Z'),
  modifiedAt: Date.parse('2026-03-01T12:00:00.000Z'),
  expiresAt,
  version: 1,
  enrollmentId: 'enr-1',
  salt: 'c2FsdHNhbHRzYWx0c2FsdA',
  generation: 0,
};

const registrationItem = {
  pk: 'REG#Cdev1',
  sk: 'REG',
  gsi: 'REG',
  aei: 'Cdev1',
  rn: 'sensor',
  attributes: '{"api":"Nacme.app","rr":true,"lbl":["a"],"poa":[]}',
  createdAt: registration.createdAt,
  modifiedAt: registration.modifiedAt,
  expiresAt,
  version: 1,
  enrollmentId: 'enr-1',
  salt: registration.salt,
  generation: 0,
  previousGenerationUntil: undefined,
  ttl,
};

const nameItem = { pk: 'NAME#sensor', sk: 'NAME', aei: 'Cdev1', ttl };

/** Back-off pauses the store asked for, in milliseconds. */
let pauses: number[] = [];

/** A store whose back-off is recorded instead of waited for. */
function store(): DynamoRegistrationStore {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  return new DynamoRegistrationStore(client, table, {
    pause: async (ms) => {
      pauses.push(ms);
    },
  });
}

function cancelledWith(...codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

function transactInput(call = 0) {
  return dynamo.commandCalls(TransactWriteCommand)[call]?.args[0].input;
}

describe('DynamoRegistrationStore', () => {
  beforeEach(() => {
    dynamo.reset();
    pauses = [];
  });

  describe('insert', () => {
    it('claims the stem and the name in one conditional transaction', async () => {
      dynamo.on(TransactWriteCommand).resolves({});

      await store().insert(registration);

      expect(dynamo.calls()).toHaveLength(1);
      expect(transactInput()).toEqual({
        TransactItems: [
          {
            Put: {
              TableName: table,
              Item: registrationItem,
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: table,
              Item: nameItem,
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      });
    });

    it.each([
      ['the stem', ['ConditionalCheckFailed', 'None'], StemTakenError],
      [
        'both',
        ['ConditionalCheckFailed', 'ConditionalCheckFailed'],
        StemTakenError,
      ],
      ['the name', ['None', 'ConditionalCheckFailed'], NameTakenError],
    ])(
      'reports %s taken from the cancellation reasons',
      async (_, codes, error) => {
        dynamo.on(TransactWriteCommand).rejects(cancelledWith(...codes));

        const attempt = store().insert(registration);

        await expect(attempt).rejects.toBeInstanceOf(error);
      },
    );

    it('retries a transaction that conflicted with a concurrent one', async () => {
      dynamo
        .on(TransactWriteCommand)
        .rejectsOnce(cancelledWith('TransactionConflict', 'None'))
        .rejectsOnce(cancelledWith('ConditionalCheckFailed', 'None'));

      const attempt = store().insert(registration);

      await expect(attempt).rejects.toBeInstanceOf(StemTakenError);
      expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
    });

    it('fails plainly when the transaction keeps conflicting', async () => {
      dynamo
        .on(TransactWriteCommand)
        .rejects(cancelledWith('TransactionConflict', 'None'));

      const attempt = store().insert(registration);

      await expect(attempt).rejects.toThrow(/TransactionConflict/);
      expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(
        TRANSACTION_ATTEMPTS,
      );
    });
  });

  describe('a transaction cancelled for throughput', () => {
    const throughputCodes = [
      'ThrottlingError',
      'ProvisionedThroughputExceeded',
      'RequestLimitExceeded',
    ];

    it.each(throughputCodes)(
      'is retried after a pause when an item reports %s',
      async (code) => {
        dynamo
          .on(TransactWriteCommand)
          .rejectsOnce(cancelledWith('None', code))
          .resolves({});

        await store().insert(registration);

        expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
        expect(pauses).toHaveLength(1);
      },
    );

    it.each(throughputCodes)(
      'fails naming %s once the attempts are spent',
      async (code) => {
        dynamo.on(TransactWriteCommand).rejects(cancelledWith(code, 'None'));

        const attempt = store().insert(registration);

        await expect(attempt).rejects.toThrow(
          new RegExp(`${TRANSACTION_ATTEMPTS} attempts.*${code}, None`),
        );
        expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(
          TRANSACTION_ATTEMPTS,
        );
        expect(pauses).toHaveLength(TRANSACTION_ATTEMPTS - 1);
      },
    );

    it('is retried on removal too', async () => {
      dynamo.on(GetCommand).resolves({ Item: registrationItem });
      dynamo
        .on(TransactWriteCommand)
        .rejectsOnce(cancelledWith('ThrottlingError', 'None'))
        .resolves({});

      const removed = await store().remove('Cdev1', 1);

      expect(removed).toBe(true);
      expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
    });

    it('is not retried when a condition already failed', async () => {
      dynamo
        .on(TransactWriteCommand)
        .rejects(cancelledWith('ConditionalCheckFailed', 'ThrottlingError'));

      const attempt = store().insert(registration);

      await expect(attempt).rejects.toBeInstanceOf(StemTakenError);
      expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
    });
  });

  describe('transactionBackoff', () => {
    it.each([
      [1, 0, 0],
      [1, 0.999, 50],
      [2, 0.999, 100],
      [3, 0.999, 200],
      [9, 0.999, 800],
    ])(
      'pauses at most the capped exponential step (attempt %i, draw %f)',
      (attempt, draw, most) => {
        const pause = transactionBackoff(attempt, () => draw);

        expect(pause).toBeLessThanOrEqual(most);
        expect(pause).toBeGreaterThanOrEqual(Math.floor(most * 0.99));
      },
    );

    it('keeps the whole retry budget far below the 10 s function timeout', () => {
      let total = 0;
      for (let attempt = 1; attempt < TRANSACTION_ATTEMPTS; attempt++) {
        total += transactionBackoff(attempt, () => 0.999_999);
      }

      expect(total).toBeLessThan(2_000);
    });
  });

  describe('findByAei', () => {
    it('reads the registration item consistently', async () => {
      dynamo.on(GetCommand).resolves({ Item: registrationItem });

      const found = await store().findByAei('Cdev1');

      expect(found).toEqual(registration);
      expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
        TableName: table,
        Key: { pk: 'REG#Cdev1', sk: 'REG' },
        ConsistentRead: true,
      });
    });

    it('keeps the rotation grace period and drops an absent enrollment', async () => {
      const { enrollmentId: _, ...item } = {
        ...registrationItem,
        previousGenerationUntil: 1_000,
      };
      dynamo.on(GetCommand).resolves({ Item: item });

      const found = await store().findByAei('Cdev1');

      expect(found?.previousGenerationUntil).toBe(1_000);
      expect(found).not.toHaveProperty('enrollmentId');
    });

    it('returns undefined for an unknown stem', async () => {
      dynamo.on(GetCommand).resolves({});

      const found = await store().findByAei('Cnone');

      expect(found).toBeUndefined();
    });
  });

  describe('findByName', () => {
    it('follows the name claim to the registration', async () => {
      dynamo
        .on(GetCommand, { Key: { pk: 'NAME#sensor', sk: 'NAME' } })
        .resolves({ Item: nameItem })
        .on(GetCommand, { Key: { pk: 'REG#Cdev1', sk: 'REG' } })
        .resolves({ Item: registrationItem });

      const found = await store().findByName('sensor');

      expect(found).toEqual(registration);
      expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
        TableName: table,
        Key: { pk: 'NAME#sensor', sk: 'NAME' },
        ConsistentRead: true,
      });
    });

    it('returns undefined when no name claim exists', async () => {
      dynamo.on(GetCommand).resolves({});

      const found = await store().findByName('sensor');

      expect(found).toBeUndefined();
      expect(dynamo.commandCalls(GetCommand)).toHaveLength(1);
    });
  });

  describe('replace', () => {
    const renewed = {
      ...registration,
      version: 2,
      expiresAt: expiresAt + 3_600_000,
    };

    it('writes the record when the stored version matches, moving the name ttl', async () => {
      dynamo.on(TransactWriteCommand).resolves({});

      await store().replace(renewed, 1);

      expect(transactInput()).toEqual({
        TransactItems: [
          {
            Put: {
              TableName: table,
              Item: {
                ...registrationItem,
                version: 2,
                expiresAt: renewed.expiresAt,
                ttl: ttl + 3600,
              },
              ConditionExpression:
                'attribute_exists(pk) AND #version = :expected AND #rn = :rn',
              ExpressionAttributeNames: { '#version': 'version', '#rn': 'rn' },
              ExpressionAttributeValues: { ':expected': 1, ':rn': 'sensor' },
            },
          },
          {
            Put: {
              TableName: table,
              Item: { ...nameItem, ttl: ttl + 3600 },
              ConditionExpression: 'attribute_not_exists(pk) OR #aei = :aei',
              ExpressionAttributeNames: { '#aei': 'aei' },
              ExpressionAttributeValues: { ':aei': 'Cdev1' },
            },
          },
        ],
      });
    });

    it('throws VersionConflictError when the version condition fails', async () => {
      dynamo
        .on(TransactWriteCommand)
        .rejects(cancelledWith('ConditionalCheckFailed', 'None'));

      const attempt = store().replace(renewed, 1);

      await expect(attempt).rejects.toBeInstanceOf(VersionConflictError);
    });

    it('throws VersionConflictError without writing when the version does not follow', async () => {
      const attempt = store().replace({ ...renewed, version: 3 }, 1);

      await expect(attempt).rejects.toBeInstanceOf(VersionConflictError);
      expect(dynamo.calls()).toHaveLength(0);
    });
  });

  describe('remove', () => {
    it('deletes the record and its name claim conditionally', async () => {
      dynamo.on(GetCommand).resolves({ Item: registrationItem });
      dynamo.on(TransactWriteCommand).resolves({});

      const removed = await store().remove('Cdev1', 1);

      expect(removed).toBe(true);
      expect(transactInput()).toEqual({
        TransactItems: [
          {
            Delete: {
              TableName: table,
              Key: { pk: 'REG#Cdev1', sk: 'REG' },
              ConditionExpression: '#version = :expected',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':expected': 1 },
            },
          },
          {
            Delete: {
              TableName: table,
              Key: { pk: 'NAME#sensor', sk: 'NAME' },
              ConditionExpression: 'attribute_not_exists(pk) OR #aei = :aei',
              ExpressionAttributeNames: { '#aei': 'aei' },
              ExpressionAttributeValues: { ':aei': 'Cdev1' },
            },
          },
        ],
      });
    });

    it.each([
      ['is gone', {}],
      ['has another version', { Item: { ...registrationItem, version: 2 } }],
    ])('returns false without writing when the record %s', async (_, read) => {
      dynamo.on(GetCommand).resolves(read);

      const removed = await store().remove('Cdev1', 1);

      expect(removed).toBe(false);
      expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
    });

    it('returns false when a newer write wins between read and delete', async () => {
      dynamo.on(GetCommand).resolves({ Item: registrationItem });
      dynamo
        .on(TransactWriteCommand)
        .rejects(cancelledWith('ConditionalCheckFailed', 'None'));

      const removed = await store().remove('Cdev1', 1);

      expect(removed).toBe(false);
    });
  });

  describe('list', () => {
    it('queries the aei index after the given stem', async () => {
      dynamo.on(QueryCommand).resolves({ Items: [registrationItem] });

      const page = await store().list({ after: 'Caaa', limit: 10 });

      expect(page).toEqual([registration]);
      expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
        TableName: table,
        IndexName: 'byAei',
        KeyConditionExpression: '#gsi = :reg AND #aei > :after',
        ExpressionAttributeNames: { '#gsi': 'gsi', '#aei': 'aei' },
        ExpressionAttributeValues: { ':reg': 'REG', ':after': 'Caaa' },
        ScanIndexForward: true,
        Limit: 10,
      });
    });

    it('follows the query pages until the limit is filled', async () => {
      const second = { ...registrationItem, aei: 'Cdev2', pk: 'REG#Cdev2' };
      dynamo
        .on(QueryCommand)
        .resolvesOnce({
          Items: [registrationItem],
          LastEvaluatedKey: { pk: 'REG#Cdev1' },
        })
        .resolvesOnce({ Items: [second] });

      const page = await store().list({ limit: 2 });

      expect(page.map((r) => r.aei)).toEqual(['Cdev1', 'Cdev2']);
      const calls = dynamo.commandCalls(QueryCommand);
      expect(calls[1]?.args[0].input).toMatchObject({
        Limit: 1,
        ExclusiveStartKey: { pk: 'REG#Cdev1' },
      });
    });

    it('caps a page at 1000 records', async () => {
      dynamo.on(QueryCommand).resolves({ Items: [] });

      await store().list({ limit: 50_000 });

      expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input.Limit).toBe(
        1000,
      );
    });
  });

  describe('listExpiring', () => {
    it('queries the expiry index up to the given time, earliest first', async () => {
      dynamo.on(QueryCommand).resolves({ Items: [registrationItem] });

      const due = await store().listExpiring(expiresAt, 25);

      expect(due).toEqual([registration]);
      expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
        TableName: table,
        IndexName: 'byExpiry',
        KeyConditionExpression: '#gsi = :reg AND #expiresAt <= :at',
        ExpressionAttributeNames: { '#gsi': 'gsi', '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: { ':reg': 'REG', ':at': expiresAt },
        ScanIndexForward: true,
        Limit: 25,
      });
    });
  });
});
