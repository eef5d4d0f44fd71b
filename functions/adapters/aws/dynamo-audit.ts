import { randomUUID } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  AuditAction,
  AuditLog,
  AuditRecord,
} from '#registrar/ports/audit.ts';
import { auditPartition } from './table.ts';

/**
 * {@link AuditLog} on the shared table: one item per record under
 * `AUDIT#<aei>`, sorted by time.
 *
 * The sort key is `<ISO time>#<sequence>#<uuid>`: time orders the records,
 * the sequence keeps this process's records of one millisecond in the
 * order they were written, and the uuid keeps two processes from ever
 * overwriting each other. Records have no `ttl`: the trail outlives the
 * registration it describes.
 *
 * Calls: `append` 1 PutItem; `list` 1 Query per 1 MB page.
 */
export class DynamoAuditLog implements AuditLog {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;
  #sequence = 0;

  /** Uses `client` on the table named `table`. */
  public constructor(client: DynamoDBDocumentClient, table: string) {
    this.#client = client;
    this.#table = table;
  }

  /** @inheritdoc */
  public async append(record: AuditRecord): Promise<void> {
    this.#sequence += 1;
    const sequence = String(this.#sequence).padStart(12, '0');
    const time = new Date(record.at).toISOString();
    await this.#client.send(
      new PutCommand({
        TableName: this.#table,
        Item: {
          pk: auditPartition(record.aei),
          sk: `${time}#${sequence}#${randomUUID()}`,
          aei: record.aei,
          action: record.action,
          at: record.at,
          actor: record.actor,
          requestId: record.requestId,
          details: record.details,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** @inheritdoc */
  public async list(aei: string): Promise<AuditRecord[]> {
    const records: AuditRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const output = await this.#client.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': auditPartition(aei) },
          ConsistentRead: true,
          ScanIndexForward: true,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      records.push(...(output.Items ?? []).map(fromItem));
      start = output.LastEvaluatedKey;
    } while (start !== undefined);
    return records;
  }
}

function fromItem(item: Record<string, unknown>): AuditRecord {
  const requestId = item.requestId;
  const details = item.details;
  return {
    aei: String(item.aei),
    action: String(item.action) as AuditAction,
    at: Number(item.at),
    actor: String(item.actor),
    ...(typeof requestId === 'string' ? { requestId } : {}),
    ...(typeof details === 'object' && details !== null
      ? { details: details as Record<string, string | number | boolean> }
      : {}),
  };
}
