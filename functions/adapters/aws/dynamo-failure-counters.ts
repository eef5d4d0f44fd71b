import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  FailureCounters,
  FailureRecord,
} from '#registrar/ports/lockout.ts';
import { epochSeconds, failureKey } from './table.ts';

/** How long DynamoDB keeps a counter after it would be forgotten anyway. */
const RETENTION_MS = 24 * 3600 * 1000;

/** Rounds of increment-or-restart before giving up against racers. */
const ATTEMPTS = 4;

/**
 * {@link FailureCounters} on the shared table: one item per subject.
 *
 * DynamoDB has no conditional arithmetic, so a failure is recorded in one
 * of two conditional writes: an increment while the last failure is still
 * remembered, else a restart at 1 while it is not (or there is none).
 * Exactly one of them can pass for a given item state, so concurrent
 * failures all count. Usually 1 call, 2 when the counter restarts.
 */
export class DynamoFailureCounters implements FailureCounters {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;

  /** Uses `client` on the table named `table`. */
  public constructor(client: DynamoDBDocumentClient, table: string) {
    this.#client = client;
    this.#table = table;
  }

  /** @inheritdoc */
  public async read(subject: string): Promise<FailureRecord | undefined> {
    const output = await this.#client.send(
      new GetCommand({
        TableName: this.#table,
        Key: failureKey(subject),
        ConsistentRead: true,
      }),
    );
    return output.Item === undefined ? undefined : fromItem(output.Item);
  }

  /** @inheritdoc */
  public async recordFailure(
    subject: string,
    at: number,
    forgetBefore: number,
  ): Promise<FailureRecord> {
    const ttl = epochSeconds(
      at + Math.max(at - forgetBefore, 0) + RETENTION_MS,
    );
    for (let attempt = 1; ; attempt++) {
      const counted = await this.#increment(subject, at, forgetBefore, ttl);
      if (counted !== undefined) {
        return counted;
      }
      if (await this.#restart(subject, at, forgetBefore, ttl)) {
        return { count: 1, lastFailureAt: at };
      }
      if (attempt >= ATTEMPTS) {
        throw new Error(`failure counter of ${subject} kept changing`);
      }
    }
  }

  /** @inheritdoc */
  public async clear(subject: string): Promise<void> {
    await this.#client.send(
      new DeleteCommand({ TableName: this.#table, Key: failureKey(subject) }),
    );
  }

  async #increment(
    subject: string,
    at: number,
    forgetBefore: number,
    ttl: number,
  ): Promise<FailureRecord | undefined> {
    try {
      const output = await this.#client.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: failureKey(subject),
          UpdateExpression:
            'SET #count = #count + :one, #last = :at, #ttl = :ttl',
          ConditionExpression: '#last >= :forgetBefore',
          ExpressionAttributeNames: {
            '#count': 'count',
            '#last': 'lastFailureAt',
            '#ttl': 'ttl',
          },
          ExpressionAttributeValues: {
            ':one': 1,
            ':at': at,
            ':ttl': ttl,
            ':forgetBefore': forgetBefore,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem(output.Attributes ?? {});
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        return undefined;
      }
      throw error;
    }
  }

  async #restart(
    subject: string,
    at: number,
    forgetBefore: number,
    ttl: number,
  ): Promise<boolean> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...failureKey(subject), count: 1, lastFailureAt: at, ttl },
          ConditionExpression:
            'attribute_not_exists(pk) OR #last < :forgetBefore',
          ExpressionAttributeNames: { '#last': 'lastFailureAt' },
          ExpressionAttributeValues: { ':forgetBefore': forgetBefore },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        return false;
      }
      throw error;
    }
  }
}

function fromItem(item: Record<string, unknown>): FailureRecord {
  return {
    count: Number(item.count),
    lastFailureAt: Number(item.lastFailureAt),
  };
}
