import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createRegistrarTable } from '../../contract/index.ts';

describe('createRegistrarTable', () => {
  it('creates the table with both indexes, waits for it, and turns TTL on', async () => {
    const dynamo = mockClient(DynamoDBClient);
    dynamo.on(CreateTableCommand).resolves({});
    dynamo
      .on(DescribeTableCommand)
      .resolves({ Table: { TableStatus: 'ACTIVE' } });
    dynamo.on(UpdateTimeToLiveCommand).resolves({});

    await createRegistrarTable(new DynamoDBClient({}), 'contract-1');

    const table = dynamo.commandCalls(CreateTableCommand)[0]?.args[0].input;
    expect(table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(
      table?.GlobalSecondaryIndexes?.map((index) => [
        index.IndexName,
        index.KeySchema?.map((key) => key.AttributeName),
        index.Projection?.ProjectionType,
      ]),
    ).toEqual([
      ['byAei', ['gsi', 'aei'], 'ALL'],
      ['byExpiry', ['gsi', 'expiresAt'], 'ALL'],
    ]);
    expect(
      dynamo.commandCalls(UpdateTimeToLiveCommand)[0]?.args[0].input,
    ).toEqual({
      TableName: 'contract-1',
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    });
  });
});
