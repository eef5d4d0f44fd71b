import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { defineEndToEndSuite } from './suite.ts';

/*
 * The end-to-end suite against a deployed stack (scripts/e2e.sh sets the
 * variables). The registrar runs open there until signing lands in the
 * suite's signer.
 */
function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set: run this tier with npm run test:e2e`);
  }
  return value;
}

/** Only an emulator on this machine: never a real account from a test. */
function loopbackEndpoint(): string {
  const endpoint = required('AWS_ENDPOINT_URL');
  const host = new URL(endpoint).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') {
    throw new Error(`AWS_ENDPOINT_URL must be a loopback address: ${endpoint}`);
  }
  return endpoint;
}

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
