import { KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { createAwsClients } from '#registrar/adapters/aws/clients.ts';
import { DynamoAuditLog } from '#registrar/adapters/aws/dynamo-audit.ts';
import { DynamoRegistrationStore } from '#registrar/adapters/aws/dynamo-store.ts';
import { SchedulerExpiryTimers } from '#registrar/adapters/aws/scheduler-timers.ts';
import {
  describeAuditLogContract,
  describeExpiryTimersContract,
  describeRegistrationStoreContract,
} from '../../contract/index.ts';
import { FakeCloud } from '../aws/fake-cloud.ts';

/**
 * The AWS adapters against the contract, over the in-memory fake of
 * DynamoDB and Scheduler: the unit-test stand-in for the emulator run,
 * which checks the same suite against real condition evaluation.
 */
const cloud = new FakeCloud();
mockClient(KMSClient);

function clients() {
  cloud.reset();
  return createAwsClients({ region: 'eu-west-1' });
}

describeRegistrationStoreContract(
  'DynamoDB (fake)',
  () => new DynamoRegistrationStore(clients().dynamo, 'm2m-registrar'),
);
describeAuditLogContract(
  'DynamoDB (fake)',
  () => new DynamoAuditLog(clients().dynamo, 'm2m-registrar'),
);
describeExpiryTimersContract(
  'Scheduler (fake)',
  () =>
    new SchedulerExpiryTimers(clients().scheduler, {
      groupName: 'm2m-expiry',
      target: { targetArn: 'f', roleArn: 'r', deadLetterArn: 'q' },
    }),
);
