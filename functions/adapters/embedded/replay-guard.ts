import type { ReplayGuard } from '#registrar/ports/replay.ts';
import type { EmbeddedDatabase } from './database.ts';

const schema = `
CREATE TABLE IF NOT EXISTS used_nonces (
  keyid TEXT NOT NULL,
  nonce TEXT NOT NULL,
  until INTEGER NOT NULL,
  PRIMARY KEY (keyid, nonce)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS used_nonces_by_until ON used_nonces (until);
`;

/** How many claims pass between two sweeps of forgotten nonces. */
const SWEEP_EVERY = 500;

/**
 * {@link ReplayGuard} as a table of the embedded database, so that a
 * restart of the server does not reopen the window for a replay.
 *
 * One upsert claims a pair: it inserts, or takes over a row whose time is
 * up, and changes nothing when the pair is still remembered. Rows whose
 * time is up are swept every few hundred claims, which bounds the table by
 * the request rate times the skew window. Claims made in the same turn of
 * the event loop share one commit (`EmbeddedDatabase.write`); a claim is
 * answered only once it is committed.
 */
export class SqliteReplayGuard implements ReplayGuard {
  readonly #database: EmbeddedDatabase;
  #claimsSinceSweep = 0;

  /** Creates the guard on `database`, adding its table when missing. */
  public constructor(database: EmbeddedDatabase) {
    database.ensureSchema(schema);
    this.#database = database;
  }

  /** @inheritdoc */
  public claim(
    keyid: string,
    nonce: string,
    until: number,
    now: number,
  ): Promise<boolean> {
    return this.#database.write(() => {
      this.#sweepNowAndThen(now);
      const result = this.#database
        .statement(
          `INSERT INTO used_nonces (keyid, nonce, until) VALUES (?, ?, ?)
           ON CONFLICT (keyid, nonce) DO UPDATE SET until = excluded.until
           WHERE used_nonces.until <= ?`,
        )
        .run(keyid, nonce, until, now);
      return result.changes === 1;
    });
  }

  #sweepNowAndThen(now: number): void {
    this.#claimsSinceSweep += 1;
    if (this.#claimsSinceSweep < SWEEP_EVERY) {
      return;
    }
    this.#claimsSinceSweep = 0;
    this.#database
      .statement('DELETE FROM used_nonces WHERE until <= ?')
      .run(now);
  }
}
