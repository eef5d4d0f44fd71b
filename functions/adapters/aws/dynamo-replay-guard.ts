import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ReplayGuard } from '#registrar/ports/replay.ts';
import { epochSeconds, nonceKey } from './table.ts';

/**
 * {@link ReplayGuard} on the shared table: one conditional PutItem per
 * claim, which every Lambda instance sees at once.
 *
 * The put succeeds when the pair is new or its remembered time is up;
 * `ttl` lets DynamoDB delete the entry later, but correctness never waits
 * for that, because the condition compares `until` itself.
 */
export class DynamoReplayGuard implements ReplayGuard {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;

  /** Uses `client` on the table named `table`. */
  public constructor(client: DynamoDBDocumentClient, table: string) {
    this.#client = client;
    this.#table = table;
  }

  /** @inheritdoc */
  public async claim(
    keyid: string,
    nonce: string,
    until: number,
    now: number,
  ): Promise<boolean> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...nonceKey(keyid, nonce), until, ttl: epochSeconds(until) },
          ConditionExpression: 'attribute_not_exists(pk) OR #until <= :now',
          ExpressionAttributeNames: { '#until': 'until' },
          ExpressionAttributeValues: { ':now': now },
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
