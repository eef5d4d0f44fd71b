import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { loopbackEndpoint, required } from './environment.ts';
import { defineEndToEndSuite } from './suite.ts';

/*
 * The end-to-end suite against a deployed stack (scripts/e2e.sh sets the
 * variables). The registrar runs open there until signing lands in the
 * suite's signer.
 */
const baseUrl = required('M2M_E2E_BASE_URL');
const tableName = required('M2M_E2E_TABLE_NAME');
const dynamo = new DynamoDBClient({ endpoint: loopbackEndpoint() });

defineEndToEndSuite({
  baseUrl: () => baseUrl,
  cse: { cseId: '/id-in', cseRn: 'cse-in', spId: 'registrar.example.com' },
  // Scheduler fires at most a minute late; MiniStack sweeps every 10 s.
  expiryTimeoutMs: 90_000,
  recordExists: async (aei) => {
    const { Item } = await dynamo.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { pk: { S: `REG#${aei}` }, sk: { S: 'REG' } },
        ConsistentRead: true,
      }),
    );
    return Item !== undefined;
  },
});
