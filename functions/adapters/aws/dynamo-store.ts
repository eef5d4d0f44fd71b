import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  NameTakenError,
  type RegistrationStore,
  StemTakenError,
  VersionConflictError,
} from '#registrar/ports/store.ts';
import type { Registration } from '#registrar/registrar/model.ts';
import {
  BY_AEI_INDEX,
  BY_EXPIRY_INDEX,
  nameKey,
  REGISTRATION_GSI_VALUE,
  registrationKey,
  registrationTtl,
} from './table.ts';

/** The page size of `list` when the caller gives none. */
export const DEFAULT_PAGE = 100;

/** The largest page `list` and `listExpiring` return. */
export const MAX_PAGE = 1000;

/**
 * Attempts of a transaction that DynamoDB cancels for a passing reason.
 *
 * With {@link transactionBackoff} the pauses between them add up to at
 * most 1.5 s, far below the functions' timeouts and API Gateway's 30 s.
 */
export const TRANSACTION_ATTEMPTS = 5;

/** The first back-off step, in milliseconds. */
const BACKOFF_BASE_MS = 50;

/** The largest back-off step, in milliseconds. */
const BACKOFF_CAP_MS = 800;

/**
 * Cancellation reasons that a later attempt may not meet.
 *
 * A conflict with a concurrent transaction on the same items: the retry
 * sees the winner's write and fails its condition, which is the answer the
 * caller needs. Throttling and throughput limits: DynamoDB reports them
 * per item inside the cancellation, and the SDK does not retry those.
 */
const PASSING_REASONS: ReadonlySet<string> = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'RequestLimitExceeded',
]);

/**
 * The pause before retrying a cancelled transaction, in milliseconds.
 *
 * Capped exponential back-off with full jitter: a random share (`random`
 * in [0, 1)) of 50 ms doubled for each attempt made, at most 800 ms, so
 * that instances retrying together spread out.
 */
export function transactionBackoff(
  attempt: number,
  random: () => number = Math.random,
): number {
  const step = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  return Math.floor(random() * step);
}

/** How the store waits between attempts; tests replace it. */
export interface StoreOptions {
  /** @default a timer of `ms` milliseconds */
  readonly pause?: (ms: number) => Promise<void>;
}

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

type Item = Record<string, unknown>;

/** Why each item of a cancelled transaction failed, by position. */
type CancellationCodes = ReadonlyArray<string | undefined>;

/**
 * {@link RegistrationStore} on the shared table (layout in `table.ts`).
 *
 * A registration is two items written together: the registration itself
 * under its stem and a claim on its resource name, so that DynamoDB
 * enforces both uniqueness rules in one transaction.
 *
 * Calls per operation: `insert` 1 TransactWriteItems (2 items); `replace`
 * 1 TransactWriteItems (2 items, the name claim's `ttl` follows the
 * expiry); `remove` 1 GetItem (for the name) and 1 TransactWriteItems;
 * `findByAei` 1 GetItem; `findByName` 2 GetItem; `list` and
 * `listExpiring` 1 Query per 1 MB page. Reads are strongly consistent.
 *
 * Every attribute an expression names goes through a `#name` alias, so
 * no attribute can collide with DynamoDB's reserved words.
 */
export class DynamoRegistrationStore implements RegistrationStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #pause: (ms: number) => Promise<void>;

  /** Uses `client` on the table named `table`. */
  public constructor(
    client: DynamoDBDocumentClient,
    table: string,
    options: StoreOptions = {},
  ) {
    this.#client = client;
    this.#table = table;
    this.#pause = options.pause ?? ((ms) => sleep(ms));
  }

  /** @inheritdoc */
  public async insert(registration: Registration): Promise<void> {
    const codes = await this.#transact([
      {
        Put: {
          TableName: this.#table,
          Item: registrationItem(registration),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: this.#table,
          Item: nameItem(registration),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);
    if (codes === undefined) {
      return;
    }
    if (codes[0] === 'ConditionalCheckFailed') {
      throw new StemTakenError(registration.aei);
    }
    if (codes[1] === 'ConditionalCheckFailed') {
      throw new NameTakenError(registration.rn);
    }
    throw cancelled(codes);
  }

  /** @inheritdoc */
  public async findByAei(aei: string): Promise<Registration | undefined> {
    const output = await this.#client.send(
      new GetCommand({
        TableName: this.#table,
        Key: registrationKey(aei),
        ConsistentRead: true,
      }),
    );
    return output.Item === undefined ? undefined : fromItem(output.Item);
  }

  /** @inheritdoc */
  public async findByName(rn: string): Promise<Registration | undefined> {
    const claim = await this.#client.send(
      new GetCommand({
        TableName: this.#table,
        Key: nameKey(rn),
        ConsistentRead: true,
      }),
    );
    const aei = claim.Item?.aei;
    if (typeof aei !== 'string') {
      return undefined;
    }
    const registration = await this.findByAei(aei);
    return registration?.rn === rn ? registration : undefined;
  }

  /** @inheritdoc */
  public async replace(
    registration: Registration,
    expectedVersion: number,
  ): Promise<void> {
    if (registration.version !== expectedVersion + 1) {
      throw new VersionConflictError(registration.aei);
    }
    const codes = await this.#transact([
      {
        Put: {
          TableName: this.#table,
          Item: registrationItem(registration),
          ConditionExpression:
            'attribute_exists(pk) AND #version = :expected AND #rn = :rn',
          ExpressionAttributeNames: { '#version': 'version', '#rn': 'rn' },
          ExpressionAttributeValues: {
            ':expected': expectedVersion,
            ':rn': registration.rn,
          },
        },
      },
      {
        // Rewrites the claim (its `ttl` follows the expiry); recreates it
        // should it be missing, never takes another stem's.
        Put: {
          TableName: this.#table,
          Item: nameItem(registration),
          ConditionExpression: 'attribute_not_exists(pk) OR #aei = :aei',
          ExpressionAttributeNames: { '#aei': 'aei' },
          ExpressionAttributeValues: { ':aei': registration.aei },
        },
      },
    ]);
    if (codes === undefined) {
      return;
    }
    if (codes[0] === 'ConditionalCheckFailed') {
      throw new VersionConflictError(registration.aei);
    }
    throw cancelled(codes);
  }

  /** @inheritdoc */
  public async remove(aei: string, expectedVersion: number): Promise<boolean> {
    const stored = await this.findByAei(aei);
    if (stored === undefined || stored.version !== expectedVersion) {
      return false;
    }
    const codes = await this.#transact([
      {
        Delete: {
          TableName: this.#table,
          Key: registrationKey(aei),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
      {
        Delete: {
          TableName: this.#table,
          Key: nameKey(stored.rn),
          ConditionExpression: 'attribute_not_exists(pk) OR #aei = :aei',
          ExpressionAttributeNames: { '#aei': 'aei' },
          ExpressionAttributeValues: { ':aei': aei },
        },
      },
    ]);
    if (codes === undefined) {
      return true;
    }
    if (codes[0] === 'ConditionalCheckFailed') {
      return false;
    }
    throw cancelled(codes);
  }

  /** @inheritdoc */
  public async list(
    page: { after?: string; limit?: number } = {},
  ): Promise<Registration[]> {
    const limit = pageSize(page.limit ?? DEFAULT_PAGE);
    const after = page.after;
    const query: QueryCommandInput =
      after === undefined
        ? {
            TableName: this.#table,
            IndexName: BY_AEI_INDEX,
            KeyConditionExpression: '#gsi = :reg',
            ExpressionAttributeNames: { '#gsi': 'gsi' },
            ExpressionAttributeValues: { ':reg': REGISTRATION_GSI_VALUE },
          }
        : {
            TableName: this.#table,
            IndexName: BY_AEI_INDEX,
            KeyConditionExpression: '#gsi = :reg AND #aei > :after',
            ExpressionAttributeNames: { '#gsi': 'gsi', '#aei': 'aei' },
            ExpressionAttributeValues: {
              ':reg': REGISTRATION_GSI_VALUE,
              ':after': after,
            },
          };
    return this.#queryUpTo(query, limit);
  }

  /** @inheritdoc */
  public async listExpiring(
    at: number,
    limit: number,
  ): Promise<Registration[]> {
    return this.#queryUpTo(
      {
        TableName: this.#table,
        IndexName: BY_EXPIRY_INDEX,
        KeyConditionExpression: '#gsi = :reg AND #expiresAt <= :at',
        ExpressionAttributeNames: { '#gsi': 'gsi', '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: {
          ':reg': REGISTRATION_GSI_VALUE,
          ':at': at,
        },
      },
      pageSize(limit),
    );
  }

  async #queryUpTo(
    query: QueryCommandInput,
    limit: number,
  ): Promise<Registration[]> {
    const found: Registration[] = [];
    let start: Item | undefined;
    do {
      const output = await this.#client.send(
        new QueryCommand({
          ...query,
          ScanIndexForward: true,
          Limit: limit - found.length,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      found.push(...(output.Items ?? []).map(fromItem));
      start = output.LastEvaluatedKey;
    } while (start !== undefined && found.length < limit);
    return found;
  }

  /**
   * Runs one transaction; `undefined` when it committed, else the reason
   * code of each item when DynamoDB cancelled it on a condition.
   *
   * A cancellation for a passing reason is retried with back-off; when the
   * attempts are spent it throws an error that names every reason.
   */
  async #transact(
    items: TransactItems,
  ): Promise<CancellationCodes | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#client.send(
          new TransactWriteCommand({ TransactItems: items }),
        );
        return undefined;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) {
          throw error;
        }
        const codes = (error.CancellationReasons ?? []).map((r) => r.Code);
        if (!isPassing(codes)) {
          return codes;
        }
        if (attempt >= TRANSACTION_ATTEMPTS) {
          throw cancelled(codes, attempt);
        }
        await this.#pause(transactionBackoff(attempt));
      }
    }
  }
}

function pageSize(limit: number): number {
  return Math.max(1, Math.min(Math.trunc(limit), MAX_PAGE));
}

/** Whether no condition failed and some item met a passing reason. */
function isPassing(codes: CancellationCodes): boolean {
  return (
    !codes.includes('ConditionalCheckFailed') &&
    codes.some((code) => code !== undefined && PASSING_REASONS.has(code))
  );
}

function cancelled(codes: CancellationCodes, attempts = 1): Error {
  const reasons = codes.map((code) => code ?? 'None').join(', ');
  return new Error(
    `DynamoDB cancelled the transaction after ${attempts} attempts: ${reasons}`,
  );
}

function registrationItem(registration: Registration): Item {
  return {
    ...registrationKey(registration.aei),
    gsi: REGISTRATION_GSI_VALUE,
    aei: registration.aei,
    rn: registration.rn,
    // JSON keeps the AE's attributes exactly as sent (DynamoDB would turn
    // an empty set or a float into something else).
    attributes: JSON.stringify(registration.attributes),
    createdAt: registration.createdAt,
    modifiedAt: registration.modifiedAt,
    expiresAt: registration.expiresAt,
    version: registration.version,
    enrollmentId: registration.enrollmentId,
    salt: registration.salt,
    generation: registration.generation,
    previousGenerationUntil: registration.previousGenerationUntil,
    ttl: registrationTtl(registration.expiresAt),
  };
}

function nameItem(registration: Registration): Item {
  return {
    ...nameKey(registration.rn),
    aei: registration.aei,
    ttl: registrationTtl(registration.expiresAt),
  };
}

function fromItem(item: Item): Registration {
  const registration: Registration = {
    aei: String(item.aei),
    rn: String(item.rn),
    attributes: JSON.parse(String(item.attributes)),
    createdAt: Number(item.createdAt),
    modifiedAt: Number(item.modifiedAt),
    expiresAt: Number(item.expiresAt),
    version: Number(item.version),
    salt: String(item.salt),
    generation: Number(item.generation),
  };
  return {
    ...registration,
    ...(typeof item.enrollmentId === 'string'
      ? { enrollmentId: item.enrollmentId }
      : {}),
    ...(typeof item.previousGenerationUntil === 'number'
      ? { previousGenerationUntil: item.previousGenerationUntil }
      : {}),
  };
}
