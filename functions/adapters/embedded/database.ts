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
  /**
   * Runs `work` in a write transaction shared with the other writes queued
   * in the same turn of the event loop (group commit), and resolves with
   * its result once that transaction has committed.
   *
   * Each `work` runs inside its own savepoint: when it throws, only its
   * changes are undone and its promise rejects with its error, while the
   * others commit. One commit for many requests' writes saves most of the
   * per-commit cost (locks, WAL frame headers) under load. `work` must be
   * synchronous.
   */
  write<T>(work: () => T): Promise<T>;
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
  const writes = new WriteQueue(connection);
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
    write(work) {
      return writes.enqueue(work);
    },
    close() {
      if (!open) {
        return;
      }
      open = false;
      writes.flush();
      connection.close();
    },
  };
}

/** A write waiting for the next group commit. */
interface QueuedWrite {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
}

/** What one queued write gave: its result, or the error it threw. */
type Outcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown };

/**
 * The group commit behind {@link EmbeddedDatabase.write}: writes queued
 * during one turn of the event loop run in one transaction at the next
 * check phase (`setImmediate`), each in a savepoint of its own.
 */
class WriteQueue {
  readonly #connection: DatabaseSync;
  #queue: QueuedWrite[] = [];
  #scheduled: NodeJS.Immediate | undefined;

  public constructor(connection: DatabaseSync) {
    this.#connection = connection;
  }

  public enqueue<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({
        work,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      this.#scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Runs and commits every queued write now. */
  public flush(): void {
    clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0) {
      return;
    }
    let outcomes: Outcome[];
    try {
      outcomes = this.#commit(batch);
    } catch (error) {
      for (const write of batch) {
        write.reject(error);
      }
      return;
    }
    batch.forEach((write, index) => {
      const outcome = outcomes[index] as Outcome;
      if (outcome.ok) {
        write.resolve(outcome.value);
      } else {
        write.reject(outcome.error);
      }
    });
  }

  #commit(batch: readonly QueuedWrite[]): Outcome[] {
    const connection = this.#connection;
    connection.exec('BEGIN IMMEDIATE');
    try {
      const outcomes = batch.map((write) => this.#runOne(write));
      connection.exec('COMMIT');
      return outcomes;
    } catch (error) {
      if (connection.isTransaction) {
        connection.exec('ROLLBACK');
      }
      throw error;
    }
  }

  #runOne(write: QueuedWrite): Outcome {
    const connection = this.#connection;
    connection.exec('SAVEPOINT queued_write');
    try {
      const value = write.work();
      connection.exec('RELEASE queued_write');
      return { ok: true, value };
    } catch (error) {
      connection.exec('ROLLBACK TO queued_write');
      connection.exec('RELEASE queued_write');
      return { ok: false, error };
    }
  }
}
