import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoAuditLog } from '#registrar/adapters/aws/dynamo-audit.ts';
import type { AuditRecord } from '#registrar/ports/audit.ts';

const dynamo = mockClient(DynamoDBDocumentClient);

const table = 'm2m-registrar';

const record: AuditRecord = {
  aei: 'Cdev1',
  action: 'registered',
  at: Date.parse('2026-03-01T12:00:00.000Z'),
  actor: 'Cdev1',
  requestId: 'req-1',
  details: { generation: 0, enrollment: 'enr-1' },
};

function auditLog(): DynamoAuditLog {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  return new DynamoAuditLog(client, table);
}

describe('DynamoAuditLog', () => {
  beforeEach(() => {
    dynamo.reset();
  });

  it('appends one item that never overwrites another', async () => {
    dynamo.on(PutCommand).resolves({});

    await auditLog().append(record);

    expect(dynamo.calls()).toHaveLength(1);
    const input = dynamo.commandCalls(PutCommand)[0]?.args[0].input;
    expect(input).toEqual({
      TableName: table,
      Item: {
        pk: 'AUDIT#Cdev1',
        sk: expect.stringMatching(
          /^2026-03-01T12:00:00\.000Z#000000000001#[0-9a-f-]{36}$/,
        ),
        aei: 'Cdev1',
        action: 'registered',
        at: record.at,
        actor: 'Cdev1',
        requestId: 'req-1',
        details: { generation: 0, enrollment: 'enr-1' },
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('orders two records of the same millisecond as they were written', async () => {
    dynamo.on(PutCommand).resolves({});
    const log = auditLog();

    await log.append(record);
    await log.append({ ...record, action: 'deleted' });

    const keys = dynamo
      .commandCalls(PutCommand)
      .map((call) => String(call.args[0].input.Item?.sk));
    expect(keys[0]?.localeCompare(keys[1] ?? '')).toBe(-1);
  });

  it('lists the records of a stem oldest first across pages', async () => {
    const item = { pk: 'AUDIT#Cdev1', sk: 'x', ...record };
    const { requestId: _, details: __, ...bare } = item;
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [item], LastEvaluatedKey: { pk: 'p', sk: 'x' } })
      .resolvesOnce({ Items: [{ ...bare, action: 'expired' }] });

    const records = await auditLog().list('Cdev1');

    expect(records).toEqual([
      record,
      {
        aei: 'Cdev1',
        action: 'expired',
        at: record.at,
        actor: 'Cdev1',
      },
    ]);
    expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'AUDIT#Cdev1' },
      ConsistentRead: true,
      ScanIndexForward: true,
    });
    expect(
      dynamo.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey,
    ).toEqual({ pk: 'p', sk: 'x' });
  });
});
