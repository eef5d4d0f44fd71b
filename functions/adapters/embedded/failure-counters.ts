import type {
  FailureCounters,
  FailureRecord,
} from '#registrar/ports/lockout.ts';
import type { EmbeddedDatabase } from './database.ts';

const schema = `
CREATE TABLE IF NOT EXISTS credential_failures (
  subject TEXT PRIMARY KEY,
  count INTEGER NOT NULL,
  last_failure_at INTEGER NOT NULL
) STRICT;
`;

interface FailureRow {
  readonly count: number;
  readonly last_failure_at: number;
}

/**
 * {@link FailureCounters} in the embedded database: one upsert per failure,
 * so concurrent failures (and several processes) all count.
 */
export class SqliteFailureCounters implements FailureCounters {
  readonly #database: EmbeddedDatabase;

  /** Creates the counters on `database`, adding their table when missing. */
  public constructor(database: EmbeddedDatabase) {
    database.ensureSchema(schema);
    this.#database = database;
  }

  /** @inheritdoc */
  public async read(subject: string): Promise<FailureRecord | undefined> {
    const row = this.#database
      .statement(
        `SELECT count, last_failure_at FROM credential_failures
         WHERE subject = ?`,
      )
      .get(subject) as FailureRow | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  /** @inheritdoc */
  public async recordFailure(
    subject: string,
    at: number,
    forgetBefore: number,
  ): Promise<FailureRecord> {
    const row = await this.#database.write(
      () =>
        this.#database
          .statement(
            `INSERT INTO credential_failures (subject, count, last_failure_at)
             VALUES (?, 1, ?)
             ON CONFLICT (subject) DO UPDATE SET
               count = CASE WHEN last_failure_at < ? THEN 1
                 ELSE count + 1 END,
               last_failure_at = excluded.last_failure_at
             RETURNING count, last_failure_at`,
          )
          .get(subject, at, forgetBefore) as unknown as FailureRow,
    );
    return toRecord(row);
  }

  /** @inheritdoc */
  public async clear(subject: string): Promise<void> {
    await this.#database.write(() =>
      this.#database
        .statement('DELETE FROM credential_failures WHERE subject = ?')
        .run(subject),
    );
  }
}

function toRecord(row: FailureRow): FailureRecord {
  return { count: row.count, lastFailureAt: row.last_failure_at };
}
