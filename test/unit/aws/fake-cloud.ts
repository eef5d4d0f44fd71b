import { createHmac } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

type Item = Record<string, unknown>;

interface Expression {
  ConditionExpression?: string | undefined;
  ExpressionAttributeNames?: Record<string, string> | undefined;
  ExpressionAttributeValues?: Record<string, unknown> | undefined;
}

/** A failure the test injects before the fake serves a call. */
export type Fault = (command: string, input: unknown) => Error | undefined;

/**
 * DynamoDB, Scheduler and KMS as far as the AWS adapters use them, kept in
 * memory behind aws-sdk-client-mock, so that tests can look at what a
 * failure left behind.
 *
 * Conditions are evaluated for the forms the adapters write (`AND`/`OR`
 * of `attribute_exists`, `attribute_not_exists` and comparisons); updates
 * are not modelled beyond what the tests here need.
 */
export class FakeCloud {
  public readonly dynamo = mockClient(DynamoDBDocumentClient);
  public readonly scheduler = mockClient(SchedulerClient);
  public readonly kms = mockClient(KMSClient);
  /** Table items by `pk` and `sk`. */
  public readonly items = new Map<string, Item>();
  /** Schedules by name. */
  public readonly schedules = new Map<string, CreateScheduleCommandInput>();
  public fault: Fault = () => undefined;

  public constructor() {
    this.reset();
  }

  /** Forgets all state and calls, and serves again. */
  public reset(): void {
    this.dynamo.reset();
    this.scheduler.reset();
    this.kms.reset();
    this.items.clear();
    this.schedules.clear();
    this.fault = () => undefined;
    this.#serveDynamo();
    this.#serveScheduler();
    this.kms.on(GenerateMacCommand).callsFake((input) => {
      this.#inject('GenerateMac', input);
      const key = Buffer.from(String(input.KeyId));
      return { Mac: createHmac('sha256', key).update(input.Message).digest() };
    });
  }

  /** Items whose `pk` starts with `prefix`. */
  public itemsUnder(prefix: string): Item[] {
    return [...this.items.values()].filter((item) =>
      String(item.pk).startsWith(prefix),
    );
  }

  /** How many calls each service received. */
  public callCounts(): { dynamo: number; scheduler: number; kms: number } {
    return {
      dynamo: this.dynamo.calls().length,
      scheduler: this.scheduler.calls().length,
      kms: this.kms.calls().length,
    };
  }

  #inject(command: string, input: unknown): void {
    const error = this.fault(command, input);
    if (error !== undefined) {
      throw error;
    }
  }

  #serveDynamo(): void {
    const { dynamo } = this;
    dynamo.on(GetCommand).callsFake((input) => {
      this.#inject('GetItem', input);
      const item = this.items.get(keyOf(input.Key));
      return item === undefined ? {} : { Item: structuredClone(item) };
    });
    dynamo.on(PutCommand).callsFake((input) => {
      this.#inject('PutItem', input);
      const key = keyOf(input.Item);
      if (!holds(input, this.items.get(key))) {
        throw conditionFailed();
      }
      this.items.set(key, structuredClone(input.Item ?? {}));
      return {};
    });
    dynamo.on(DeleteCommand).callsFake((input) => {
      this.#inject('DeleteItem', input);
      this.items.delete(keyOf(input.Key));
      return {};
    });
    dynamo.on(UpdateCommand).callsFake((input) => {
      this.#inject('UpdateItem', input);
      throw new Error('UpdateItem is not modelled by the fake');
    });
    dynamo.on(TransactWriteCommand).callsFake((input) => {
      this.#inject('TransactWriteItems', input);
      this.#transact(input.TransactItems ?? []);
      return {};
    });
    dynamo.on(QueryCommand).callsFake((input) => {
      this.#inject('Query', input);
      const found =
        input.IndexName === undefined
          ? this.#partition(input.ExpressionAttributeValues?.[':pk'])
          : this.#index(input);
      return { Items: structuredClone(found.slice(0, input.Limit)) };
    });
  }

  #partition(pk: unknown): Item[] {
    return [...this.items.values()]
      .filter((item) => item.pk === pk)
      .sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
  }

  /** A query on one of the two GSIs, with its sort-key condition. */
  #index(input: Expression & { KeyConditionExpression?: string }): Item[] {
    const [, range] = (input.KeyConditionExpression ?? '').split(' AND ');
    const sortKey =
      input.ExpressionAttributeNames?.[range?.split(' ')[0] ?? '#aei'];
    const attribute = sortKey ?? 'aei';
    return [...this.items.values()]
      .filter((item) => item.gsi === input.ExpressionAttributeValues?.[':reg'])
      .filter((item) => range === undefined || termHolds(range, input, item))
      .sort((a, b) => compare(a[attribute], b[attribute]));
  }

  #transact(
    operations: ReadonlyArray<{
      Put?: Expression & { Item?: Item | undefined };
      Delete?: Expression & { Key?: Item | undefined };
    }>,
  ): void {
    const reasons = operations.map((operation) => {
      const step = operation.Put ?? operation.Delete;
      const key = keyOf(operation.Put?.Item ?? operation.Delete?.Key);
      const passes = step !== undefined && holds(step, this.items.get(key));
      return { Code: passes ? 'None' : 'ConditionalCheckFailed' };
    });
    if (reasons.some((reason) => reason.Code !== 'None')) {
      throw new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: reasons,
      });
    }
    for (const operation of operations) {
      if (operation.Put !== undefined) {
        const item = operation.Put.Item ?? {};
        this.items.set(keyOf(item), structuredClone(item));
      } else {
        this.items.delete(keyOf(operation.Delete?.Key));
      }
    }
  }

  #serveScheduler(): void {
    const { scheduler, schedules } = this;
    scheduler.on(CreateScheduleCommand).callsFake((input) => {
      this.#inject('CreateSchedule', input);
      if (schedules.has(String(input.Name))) {
        throw new ConflictException({
          message: 'exists',
          Message: 'exists',
          $metadata: {},
        });
      }
      schedules.set(String(input.Name), structuredClone(input));
      return { ScheduleArn: `arn:schedule/${input.Name}` };
    });
    scheduler.on(UpdateScheduleCommand).callsFake((input) => {
      this.#inject('UpdateSchedule', input);
      if (!schedules.has(String(input.Name))) {
        throw notFound();
      }
      schedules.set(String(input.Name), structuredClone(input));
      return { ScheduleArn: `arn:schedule/${input.Name}` };
    });
    scheduler.on(DeleteScheduleCommand).callsFake((input) => {
      this.#inject('DeleteSchedule', input);
      if (!schedules.delete(String(input.Name))) {
        throw notFound();
      }
      return {};
    });
  }
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') {
    return a - b;
  }
  return String(a).localeCompare(String(b));
}

function keyOf(item: Item | undefined): string {
  return JSON.stringify([item?.pk, item?.sk]);
}

function conditionFailed(): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
  });
}

function notFound(): ResourceNotFoundException {
  return new ResourceNotFoundException({
    message: 'gone',
    Message: 'gone',
    $metadata: {},
  });
}

/** Whether the condition of `request` holds for the stored `item`. */
function holds(request: Expression, item: Item | undefined): boolean {
  const condition = request.ConditionExpression;
  if (condition === undefined) {
    return true;
  }
  return condition
    .split(' OR ')
    .some((any) =>
      any.split(' AND ').every((term) => termHolds(term, request, item)),
    );
}

function termHolds(
  term: string,
  request: Expression,
  item: Item | undefined,
): boolean {
  const name = (token: string) =>
    request.ExpressionAttributeNames?.[token] ?? token;
  const exists = /^attribute_(not_)?exists\((\S+)\)$/.exec(term.trim());
  if (exists) {
    const present = item?.[name(exists[2] ?? '')] !== undefined;
    return exists[1] === undefined ? present : !present;
  }
  const comparison = /^(\S+) (=|<=|<|>=|>) (:\S+)$/.exec(term.trim());
  if (!comparison || item === undefined) {
    return false;
  }
  const stored = item[name(comparison[1] ?? '')] as number | string;
  const given = request.ExpressionAttributeValues?.[comparison[3] ?? ''] as
    | number
    | string;
  switch (comparison[2]) {
    case '=':
      return stored === given;
    case '<=':
      return stored <= given;
    case '<':
      return stored < given;
    case '>':
      return stored > given;
    default:
      return stored >= given;
  }
}
