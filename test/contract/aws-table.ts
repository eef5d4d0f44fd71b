import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  BY_AEI_INDEX,
  BY_EXPIRY_INDEX,
} from '#registrar/adapters/aws/table.ts';

/**
 * The table the AWS adapters expect (layout in
 * functions/adapters/aws/table.ts), on demand and with both indexes
 * projecting all attributes; the CDK stack defines the same.
 */
export function registrarTableDefinition(
  name: string,
): CreateTableCommandInput {
  const gsiKey = { AttributeName: 'gsi', KeyType: 'HASH' } as const;
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'gsi', AttributeType: 'S' },
      { AttributeName: 'aei', AttributeType: 'S' },
      { AttributeName: 'expiresAt', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: BY_AEI_INDEX,
        KeySchema: [gsiKey, { AttributeName: 'aei', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: BY_EXPIRY_INDEX,
        KeySchema: [gsiKey, { AttributeName: 'expiresAt', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

/**
 * Creates an empty registrar table named `name` and waits until it is
 * active: a factory for the contract suites on an emulator, where each
 * test wants an empty store, e.g.
 *
 * ```ts
 * describeRegistrationStoreContract('DynamoDB (MiniStack)', async () => {
 *   const name = `contract-${randomUUID()}`;
 *   await createRegistrarTable(new DynamoDBClient({}), name);
 *   return new DynamoRegistrationStore(createAwsClients().dynamo, name);
 * });
 * ```
 */
export async function createRegistrarTable(
  client: DynamoDBClient,
  name: string,
): Promise<void> {
  await client.send(new CreateTableCommand(registrarTableDefinition(name)));
  await waitUntilTableExists(
    { client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 },
    { TableName: name },
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: name,
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    }),
  );
}
