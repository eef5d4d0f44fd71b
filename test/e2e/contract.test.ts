import { afterAll, afterEach } from 'vitest';
import { DynamoAuditLog } from '#registrar/adapters/aws/dynamo-audit.ts';
import { DynamoRegistrationStore } from '#registrar/adapters/aws/dynamo-store.ts';
import {
  KmsRootKeys,
  type RootKeyIds,
} from '#registrar/adapters/aws/kms-root-keys.ts';
import { SchedulerExpiryTimers } from '#registrar/adapters/aws/scheduler-timers.ts';
import {
  describeAuditLogContract,
  describeExpiryTimersContract,
  describeRegistrationStoreContract,
  describeRootKeysContract,
} from '../contract/index.ts';
import { EmulatedAccount, IDLE_TARGET } from './contract-support.ts';

/*
 * The adapter contract suites (test/contract) against the AWS adapters on
 * the emulator scripts/e2e.sh starts: the same cases `npm test` runs
 * against the memory and SQLite adapters and the in-process fake, here
 * with the emulator's own condition evaluation, transactions, KMS HMAC
 * keys and Scheduler. Each test gets a fresh table or schedule group,
 * removed when it ends; the two root keys are shared by the file.
 */
const account = new EmulatedAccount();
let rootKeyIds: Promise<RootKeyIds> | undefined;

afterEach(() => account.removeTablesAndGroups());
afterAll(() => account.removeKeys());

describeRegistrationStoreContract(
  'DynamoDB (emulator)',
  async () =>
    new DynamoRegistrationStore(
      account.clients.dynamo,
      await account.createTable(),
    ),
);

describeAuditLogContract(
  'DynamoDB (emulator)',
  async () =>
    new DynamoAuditLog(account.clients.dynamo, await account.createTable()),
);

describeExpiryTimersContract(
  'Scheduler (emulator)',
  async () =>
    new SchedulerExpiryTimers(account.clients.scheduler, {
      groupName: await account.createScheduleGroup(),
      target: IDLE_TARGET,
    }),
);

describeRootKeysContract('KMS HMAC_256 (emulator)', async () => {
  rootKeyIds ??= createRootKeys();
  return new KmsRootKeys(account.clients.kms, await rootKeyIds);
});

async function createRootKeys(): Promise<RootKeyIds> {
  const [enrollment, registration] = await Promise.all([
    account.createHmacKey(),
    account.createHmacKey(),
  ]);
  return { enrollment, registration };
}
