import type {
  AuditAction,
  AuditLog,
  AuditRecord,
} from '#registrar/ports/audit.ts';
import type { EmbeddedDatabase } from './database.ts';

const schema = `
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  aei TEXT NOT NULL,
  action TEXT NOT NULL,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  request_id TEXT,
  details TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS audit_by_aei ON audit (aei, seq);
`;

type AuditDetails = Record<string, string | number | boolean>;

interface AuditRow {
  readonly aei: string;
  readonly action: string;
  readonly at: number;
  readonly actor: string;
  readonly request_id: string | null;
  readonly details: string | null;
}

/**
 * {@link AuditLog} as an append-only table of the embedded database.
 *
 * Records of one AE come back in the order they were appended, which the
 * autoincrement key keeps even when two records share a millisecond.
 */
export class SqliteAuditLog implements AuditLog {
  readonly #database: EmbeddedDatabase;

  /** Creates the audit log on `database`, adding its table when missing. */
  public constructor(database: EmbeddedDatabase) {
    database.ensureSchema(schema);
    this.#database = database;
  }

  /** @inheritdoc */
  public async append(record: AuditRecord): Promise<void> {
    const details =
      record.details === undefined ? null : JSON.stringify(record.details);
    await this.#database.write(() =>
      this.#database
        .statement(
          `INSERT INTO audit (aei, action, at, actor, request_id, details)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(
          record.aei,
          record.action,
          record.at,
          record.actor,
          record.requestId ?? null,
          details,
        ),
    );
  }

  /** @inheritdoc */
  public async list(aei: string): Promise<AuditRecord[]> {
    const rows = this.#database
      .statement(
        `SELECT aei, action, at, actor, request_id, details FROM audit
         WHERE aei = ? ORDER BY seq`,
      )
      .all(aei) as unknown as AuditRow[];
    return rows.map(toRecord);
  }
}

function toRecord(row: AuditRow): AuditRecord {
  return {
    aei: row.aei,
    action: row.action as AuditAction,
    at: row.at,
    actor: row.actor,
    ...(row.request_id === null ? {} : { requestId: row.request_id }),
    ...(row.details === null
      ? {}
      : { details: JSON.parse(row.details) as AuditDetails }),
  };
}
