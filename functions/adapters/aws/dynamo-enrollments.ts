import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type Enrollment,
  EnrollmentExistsError,
  type EnrollmentState,
  type EnrollmentStore,
} from '#registrar/ports/enrollments.ts';
import { ENROLLMENT_PARTITION, enrollmentKey } from './table.ts';

/**
 * {@link EnrollmentStore} on the shared table: one item per enrollment in
 * the `ENR` partition, sorted by id.
 *
 * Calls: `insert`, `replace` and `find` 1 each; `list` 1 Query per 1 MB.
 */
export class DynamoEnrollmentStore implements EnrollmentStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;

  /** Uses `client` on the table named `table`. */
  public constructor(client: DynamoDBDocumentClient, table: string) {
    this.#client = client;
    this.#table = table;
  }

  /** @inheritdoc */
  public async insert(enrollment: Enrollment): Promise<void> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...enrollmentKey(enrollment.id), ...enrollment },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new EnrollmentExistsError(enrollment.id);
      }
      throw error;
    }
  }

  /** @inheritdoc */
  public async find(id: string): Promise<Enrollment | undefined> {
    const output = await this.#client.send(
      new GetCommand({
        TableName: this.#table,
        Key: enrollmentKey(id),
        ConsistentRead: true,
      }),
    );
    return output.Item === undefined ? undefined : fromItem(output.Item);
  }

  /** @inheritdoc */
  public async list(): Promise<Enrollment[]> {
    const found: Enrollment[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const output = await this.#client.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': ENROLLMENT_PARTITION },
          ConsistentRead: true,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      found.push(...(output.Items ?? []).map(fromItem));
      start = output.LastEvaluatedKey;
    } while (start !== undefined);
    return found;
  }

  /** @inheritdoc */
  public async replace(enrollment: Enrollment): Promise<boolean> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: enrollmentKey(enrollment.id),
          // Everything but the id and the creation time.
          UpdateExpression:
            'SET #originators = :originators, #apps = :apps, ' +
            '#defaultLifetimeS = :defaultLifetimeS, ' +
            '#maxLifetimeS = :maxLifetimeS, #targets = :targets, ' +
            '#state = :state, #keyVersion = :keyVersion',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: {
            '#originators': 'originators',
            '#apps': 'apps',
            '#defaultLifetimeS': 'defaultLifetimeS',
            '#maxLifetimeS': 'maxLifetimeS',
            '#targets': 'targets',
            '#state': 'state',
            '#keyVersion': 'keyVersion',
          },
          ExpressionAttributeValues: {
            ':originators': enrollment.originators,
            ':apps': enrollment.apps,
            ':defaultLifetimeS': enrollment.defaultLifetimeS,
            ':maxLifetimeS': enrollment.maxLifetimeS,
            ':targets': enrollment.targets,
            ':state': enrollment.state,
            ':keyVersion': enrollment.keyVersion,
          },
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

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function fromItem(item: Record<string, unknown>): Enrollment {
  return {
    id: String(item.id),
    originators: strings(item.originators),
    apps: strings(item.apps),
    defaultLifetimeS: Number(item.defaultLifetimeS),
    maxLifetimeS: Number(item.maxLifetimeS),
    targets: strings(item.targets),
    state: String(item.state) as EnrollmentState,
    keyVersion: Number(item.keyVersion),
    createdAt: Number(item.createdAt),
  };
}
