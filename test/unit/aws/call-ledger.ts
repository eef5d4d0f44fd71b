import type { OperationCalls } from '#registrar/tools/aws-calls.ts';
import type { FakeCloud } from './fake-cloud.ts';

/** What brings an operation about: an API request or a fired schedule. */
export interface Trigger {
  readonly kind: 'request' | 'schedule';
}

type Input = Record<string, unknown> & {
  ConsistentRead?: boolean;
  TransactItems?: unknown[];
};

/**
 * The calls the registrar made to the fake cloud since its history was last
 * reset, sorted by how AWS bills them, plus the invocations that bring
 * them about: one API request and one api function invocation for a
 * request; one Scheduler invocation and one expiry function invocation
 * for a fired schedule.
 */
export function ledger(cloud: FakeCloud, trigger: Trigger): OperationCalls {
  const dynamo = {
    consistentReads: 0,
    eventualReads: 0,
    writes: 0,
    transactionItems: 0,
  };
  for (const call of cloud.dynamo.calls()) {
    const command = call.args[0] as { constructor: { name: string } } & {
      input: Input;
    };
    const { input } = command;
    switch (command.constructor.name) {
      case 'GetCommand':
      case 'QueryCommand':
        if (input.ConsistentRead === true) {
          dynamo.consistentReads += 1;
        } else {
          dynamo.eventualReads += 1;
        }
        break;
      case 'TransactWriteCommand':
        dynamo.transactionItems += input.TransactItems?.length ?? 0;
        break;
      default:
        dynamo.writes += 1;
    }
  }
  const schedules = { create: 0, update: 0, delete: 0 };
  for (const call of cloud.scheduler.calls()) {
    const name = (call.args[0] as { constructor: { name: string } }).constructor
      .name;
    if (name === 'CreateScheduleCommand') schedules.create += 1;
    if (name === 'UpdateScheduleCommand') schedules.update += 1;
    if (name === 'DeleteScheduleCommand') schedules.delete += 1;
  }
  const request = trigger.kind === 'request';
  return {
    apiRequests: request ? 1 : 0,
    apiInvocations: request ? 1 : 0,
    expiryInvocations: request ? 0 : 1,
    schedulerInvocations: request ? 0 : 1,
    kms: cloud.kms.calls().length,
    dynamo,
    schedules,
  };
}
