import { randomUUID } from 'node:crypto';
import { type Clock, systemClock } from '#registrar/ports/clock.ts';
import { type Logger, silentLogger } from '#registrar/ports/logger.ts';
import type { RegistrationStore } from '#registrar/ports/store.ts';
import type { ExpiryCallback, ExpiryTimers } from '#registrar/ports/timers.ts';
import type { EmbeddedDatabase } from './database.ts';

const schema = `
CREATE TABLE IF NOT EXISTS expiry_timers (
  aei TEXT PRIMARY KEY,
  due_at INTEGER NOT NULL,
  token TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX IF NOT EXISTS expiry_timers_by_due ON expiry_timers (due_at);
`;

/** The longest delay `setTimeout` accepts, milliseconds (2^31 - 1). */
const MAX_TIMEOUT_MS = 2_147_483_647;

/** How many due timers one pass fires before looking again. */
const BATCH = 100;

interface DueRow {
  readonly aei: string;
  readonly token: string;
  readonly attempts: number;
}

/** Collaborators and tuning of {@link SqliteExpiryTimers}. */
export interface SqliteExpiryTimersOptions {
  readonly database: EmbeddedDatabase;
  /** Swept on start (and every poll) for expired records without a timer. */
  readonly store: RegistrationStore;
  /** @default the system clock */
  readonly clock?: Clock;
  /** @default a logger that drops everything */
  readonly logger?: Logger;
  /**
   * Longest sleep between two looks at the table, milliseconds. Other
   * processes (the command line) write the table too; this bounds how late
   * the server notices a timer it did not arm itself.
   *
   * @default 30000
   */
  readonly pollIntervalMs?: number;
  /**
   * First retry delay after a failed callback, milliseconds; doubled per
   * attempt.
   *
   * @default 1000
   */
  readonly retryBaseMs?: number;
  /** Longest retry delay, milliseconds. @default 60000 */
  readonly retryMaxMs?: number;
}

/**
 * {@link ExpiryTimers} whose pending timers are rows of the embedded
 * database, so that they survive a restart.
 *
 * Any process may arm and disarm. Only a started instance fires: it keeps
 * one `setTimeout` armed at the earliest due row (or the poll interval,
 * whichever is sooner), calls the callback for each due row, and deletes a
 * row only when nobody re-armed it meanwhile. A failed callback is retried
 * later with exponential back-off.
 */
export class SqliteExpiryTimers implements ExpiryTimers {
  readonly #database: EmbeddedDatabase;
  readonly #store: RegistrationStore;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #pollIntervalMs: number;
  readonly #retryBaseMs: number;
  readonly #retryMaxMs: number;
  #callback: ExpiryCallback | undefined;
  #handle: NodeJS.Timeout | undefined;
  #scheduledAt: number | undefined;
  #pass: Promise<void> | undefined;
  #lastSweepAt = Number.NEGATIVE_INFINITY;

  /** Creates the timers on `options.database`, adding the table if missing. */
  public constructor(options: SqliteExpiryTimersOptions) {
    options.database.ensureSchema(schema);
    this.#database = options.database;
    this.#store = options.store;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#pollIntervalMs = options.pollIntervalMs ?? 30_000;
    this.#retryBaseMs = options.retryBaseMs ?? 1000;
    this.#retryMaxMs = options.retryMaxMs ?? 60_000;
  }

  /** @inheritdoc */
  public async arm(aei: string, at: number): Promise<void> {
    const token = randomUUID();
    await this.#database.write(() =>
      this.#database
        .statement(
          `INSERT INTO expiry_timers (aei, due_at, token, attempts)
           VALUES (?, ?, ?, 0)
           ON CONFLICT (aei) DO UPDATE SET
             due_at = excluded.due_at, token = excluded.token, attempts = 0`,
        )
        .run(aei, at, token),
    );
    if (this.#isIdle() && (this.#scheduledAt ?? Infinity) > at) {
      this.#schedule(at);
    }
  }

  /** @inheritdoc */
  public async disarm(aei: string): Promise<void> {
    await this.#database.write(() =>
      this.#database
        .statement('DELETE FROM expiry_timers WHERE aei = ?')
        .run(aei),
    );
  }

  /**
   * Starts firing: sweeps expired records into timers, then fires what is
   * due and keeps watching the table until {@link stop}.
   */
  public start(callback: ExpiryCallback): void {
    if (this.#callback !== undefined) {
      return;
    }
    this.#callback = callback;
    this.#schedule(this.#clock.now());
  }

  /** Stops firing and waits for a pass in progress to finish. */
  public async stop(): Promise<void> {
    this.#callback = undefined;
    this.#cancel();
    await this.#pass;
  }

  /** The due time of the pending timer of `aei`, for inspection. */
  public dueAt(aei: string): number | undefined {
    const row = this.#database
      .statement('SELECT due_at FROM expiry_timers WHERE aei = ?')
      .get(aei) as { due_at: number } | undefined;
    return row?.due_at;
  }

  #isIdle(): boolean {
    return this.#callback !== undefined && this.#pass === undefined;
  }

  #cancel(): void {
    clearTimeout(this.#handle);
    this.#handle = undefined;
    this.#scheduledAt = undefined;
  }

  #schedule(at: number): void {
    this.#cancel();
    if (this.#callback === undefined) {
      return;
    }
    const now = this.#clock.now();
    const delay = Math.min(
      Math.max(at - now, 0),
      this.#pollIntervalMs,
      MAX_TIMEOUT_MS,
    );
    this.#scheduledAt = now + delay;
    this.#handle = setTimeout(() => this.#startPass(), delay);
    this.#handle.unref();
  }

  #startPass(): void {
    this.#handle = undefined;
    this.#scheduledAt = undefined;
    this.#pass = this.#runPass().finally(() => {
      this.#pass = undefined;
    });
  }

  async #runPass(): Promise<void> {
    let next: number | undefined;
    try {
      await this.#sweepWhenDue();
      const more = await this.#fireDue();
      next = more ? this.#clock.now() : undefined;
    } catch (error) {
      this.#logger.error('expiry timer pass failed', { error: String(error) });
      next = this.#clock.now() + this.#retryBaseMs;
    }
    this.#pass = undefined;
    // Read the earliest row right before scheduling, with no await between,
    // so that a timer armed during the pass is not missed.
    this.#schedule(
      next ?? this.#earliestDue() ?? this.#clock.now() + this.#pollIntervalMs,
    );
  }

  /** Fires every due row; says whether more may be due already. */
  async #fireDue(): Promise<boolean> {
    const due = this.#database
      .statement(
        `SELECT aei, token, attempts FROM expiry_timers
         WHERE due_at <= ? ORDER BY due_at, aei LIMIT ?`,
      )
      .all(this.#clock.now(), BATCH) as unknown as DueRow[];
    for (const row of due) {
      const callback = this.#callback;
      if (callback === undefined) {
        return false;
      }
      await this.#fireOne(row, callback);
    }
    return due.length === BATCH;
  }

  async #fireOne(row: DueRow, callback: ExpiryCallback): Promise<void> {
    try {
      await callback(row.aei);
      this.#database
        .statement('DELETE FROM expiry_timers WHERE aei = ? AND token = ?')
        .run(row.aei, row.token);
    } catch (error) {
      const delay = Math.min(
        this.#retryBaseMs * 2 ** row.attempts,
        this.#retryMaxMs,
      );
      this.#logger.warn('expiry timer callback failed; retrying later', {
        aei: row.aei,
        attempt: row.attempts + 1,
        retryInMs: delay,
        error: String(error),
      });
      this.#database
        .statement(
          `UPDATE expiry_timers SET due_at = ?, attempts = attempts + 1
           WHERE aei = ? AND token = ?`,
        )
        .run(this.#clock.now() + delay, row.aei, row.token);
    }
  }

  #earliestDue(): number | undefined {
    const row = this.#database
      .statement('SELECT MIN(due_at) AS due FROM expiry_timers')
      .get() as { due: number | null } | undefined;
    return row?.due ?? undefined;
  }

  /**
   * Gives every expired record a timer (when it has none), so that nothing
   * expired is left behind by a crash between a write and its `arm`.
   */
  async #sweepWhenDue(): Promise<void> {
    const now = this.#clock.now();
    if (now - this.#lastSweepAt < this.#pollIntervalMs) {
      return;
    }
    this.#lastSweepAt = now;
    const expired = await this.#store.listExpiring(now, BATCH * 10);
    const insert = this.#database.statement(
      `INSERT INTO expiry_timers (aei, due_at, token, attempts)
       VALUES (?, ?, ?, 0) ON CONFLICT (aei) DO NOTHING`,
    );
    for (const registration of expired) {
      insert.run(registration.aei, registration.expiresAt, randomUUID());
    }
  }
}
