import {
  NameTakenError,
  type RegistrationStore,
  StemTakenError,
  VersionConflictError,
} from '#registrar/ports/store.ts';
import type { Registration } from '#registrar/registrar/model.ts';
import type { EmbeddedDatabase } from './database.ts';

const schema = `
CREATE TABLE IF NOT EXISTS registrations (
  aei TEXT PRIMARY KEY,
  rn TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  record TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS registrations_by_expiry
  ON registrations (expires_at);
`;

/** The page size of `list` when the caller gives none. */
const DEFAULT_PAGE = 100;

/** The largest page `list` returns. */
const MAX_PAGE = 1000;

interface RecordRow {
  readonly record: string;
}

/**
 * {@link RegistrationStore} in the embedded SQLite database.
 *
 * The primary key on `aei` and the unique `rn` column make the database
 * itself enforce both uniqueness rules; an insert checks and writes in one
 * write transaction so that the stem error wins when both clash, whichever
 * connection (or process) races it.
 */
export class SqliteRegistrationStore implements RegistrationStore {
  readonly #database: EmbeddedDatabase;

  /** Creates the store on `database`, adding its table when missing. */
  public constructor(database: EmbeddedDatabase) {
    database.ensureSchema(schema);
    this.#database = database;
  }

  /** @inheritdoc */
  public async insert(registration: Registration): Promise<void> {
    const db = this.#database;
    await this.#database.write(() => {
      if (this.#exists('aei', registration.aei)) {
        throw new StemTakenError(registration.aei);
      }
      if (this.#exists('rn', registration.rn)) {
        throw new NameTakenError(registration.rn);
      }
      db.statement(
        `INSERT INTO registrations (aei, rn, version, expires_at, record)
         VALUES (?, ?, ?, ?, ?)`,
      ).run(
        registration.aei,
        registration.rn,
        registration.version,
        registration.expiresAt,
        JSON.stringify(registration),
      );
    });
  }

  /** @inheritdoc */
  public async findByAei(aei: string): Promise<Registration | undefined> {
    return this.#findOne('aei', aei);
  }

  /** @inheritdoc */
  public async findByName(rn: string): Promise<Registration | undefined> {
    return this.#findOne('rn', rn);
  }

  /**
   * @inheritdoc
   *
   * A `registration` whose version does not follow `expectedVersion`, or
   * whose name differs from the stored one, is refused as a conflict too.
   */
  public async replace(
    registration: Registration,
    expectedVersion: number,
  ): Promise<void> {
    if (registration.version !== expectedVersion + 1) {
      throw new VersionConflictError(registration.aei);
    }
    const record = JSON.stringify(registration);
    const result = await this.#database.write(() =>
      this.#database
        .statement(
          `UPDATE registrations
           SET version = ?, expires_at = ?, record = ?
           WHERE aei = ? AND version = ? AND rn = ?`,
        )
        .run(
          registration.version,
          registration.expiresAt,
          record,
          registration.aei,
          expectedVersion,
          registration.rn,
        ),
    );
    if (result.changes !== 1) {
      throw new VersionConflictError(registration.aei);
    }
  }

  /** @inheritdoc */
  public async remove(aei: string, expectedVersion: number): Promise<boolean> {
    const result = await this.#database.write(() =>
      this.#database
        .statement('DELETE FROM registrations WHERE aei = ? AND version = ?')
        .run(aei, expectedVersion),
    );
    return result.changes === 1;
  }

  /** @inheritdoc */
  public async list(
    page: { after?: string; limit?: number } = {},
  ): Promise<Registration[]> {
    const limit = Math.min(Math.max(page.limit ?? DEFAULT_PAGE, 1), MAX_PAGE);
    const rows = this.#database
      .statement(
        `SELECT record FROM registrations WHERE aei > ?
         ORDER BY aei LIMIT ?`,
      )
      .all(page.after ?? '', limit) as unknown as RecordRow[];
    return rows.map(toRegistration);
  }

  /** @inheritdoc */
  public async listExpiring(
    at: number,
    limit: number,
  ): Promise<Registration[]> {
    const rows = this.#database
      .statement(
        `SELECT record FROM registrations WHERE expires_at <= ?
         ORDER BY expires_at, aei LIMIT ?`,
      )
      .all(at, Math.max(limit, 0)) as unknown as RecordRow[];
    return rows.map(toRegistration);
  }

  #exists(column: 'aei' | 'rn', value: string): boolean {
    const row = this.#database
      .statement(`SELECT 1 AS found FROM registrations WHERE ${column} = ?`)
      .get(value);
    return row !== undefined;
  }

  #findOne(column: 'aei' | 'rn', value: string): Registration | undefined {
    const row = this.#database
      .statement(`SELECT record FROM registrations WHERE ${column} = ?`)
      .get(value) as RecordRow | undefined;
    return row === undefined ? undefined : toRegistration(row);
  }
}

function toRegistration(row: RecordRow): Registration {
  return JSON.parse(row.record) as Registration;
}
