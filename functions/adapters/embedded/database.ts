import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';

/** The file name of the embedded database inside the data folder. */
export const DATABASE_FILE = 'registrar.db';

/** How long a writer waits for another connection's lock, milliseconds. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * The embedded registrar's SQLite database, shared by the store, the audit
 * log, the timers and any module that needs its own tables.
 *
 * Several processes may open the same file at once (the server and the
 * command line): the journal is WAL and writers wait for each other's locks
 * instead of failing.
 */
export interface EmbeddedDatabase {
  /** The open connection; synchronous, as `node:sqlite` is. */
  readonly connection: DatabaseSync;
  /** The database file's path. */
  readonly path: string;
  /**
   * Runs `ddl` (`CREATE TABLE IF NOT EXISTS ...`) once per connection.
   *
   * Each module that keeps data here declares its own tables this way, so
   * no module needs to know another's schema.
   */
  ensureSchema(ddl: string): void;
  /** The prepared statement for `sql`, prepared once per connection. */
  statement(sql: string): StatementSync;
  /**
   * Runs `work` inside one write transaction (`BEGIN IMMEDIATE`), committing
   * when it returns and rolling back when it throws.
   *
   * `work` must be synchronous: the transaction holds the write lock, and no
   * other statement of this connection may interleave with it.
   */
  transaction<T>(work: () => T): T;
  /** Closes the connection; later calls do nothing. */
  close(): void;
}

/**
 * Opens (and creates when missing) `<dataDir>/registrar.db`.
 *
 * The data folder is created with mode 0700 when it does not exist, since
 * the local key file lives next to the database.
 */
export function openDatabase(dataDir: string): EmbeddedDatabase {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, DATABASE_FILE);
  const connection = new DatabaseSync(path, { timeout: BUSY_TIMEOUT_MS });
  connection.exec('PRAGMA journal_mode = WAL');
  connection.exec('PRAGMA synchronous = NORMAL');
  const applied = new Set<string>();
  const statements = new Map<string, StatementSync>();
  let open = true;

  return {
    connection,
    path,
    ensureSchema(ddl) {
      if (applied.has(ddl)) {
        return;
      }
      connection.exec(ddl);
      applied.add(ddl);
    },
    statement(sql) {
      let prepared = statements.get(sql);
      if (prepared === undefined) {
        prepared = connection.prepare(sql);
        statements.set(sql, prepared);
      }
      return prepared;
    },
    transaction(work) {
      connection.exec('BEGIN IMMEDIATE');
      try {
        const result = work();
        connection.exec('COMMIT');
        return result;
      } catch (error) {
        connection.exec('ROLLBACK');
        throw error;
      }
    },
    close() {
      if (!open) {
        return;
      }
      open = false;
      connection.close();
    },
  };
}
