import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '#registrar/adapters/embedded/database.ts';
import { temporaryDataDir } from './fixtures.ts';

describe('openDatabase', () => {
  let data: ReturnType<typeof temporaryDataDir>;

  beforeEach(() => {
    data = temporaryDataDir();
  });

  afterEach(() => {
    data.remove();
  });

  it('creates a missing data folder readable by its owner only', () => {
    const dir = join(data.dir, 'nested', 'data');

    const database = openDatabase(dir);
    database.close();

    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'registrar.db')).isFile()).toBe(true);
  });

  it('uses the WAL journal so that two processes can share the file', () => {
    const database = openDatabase(data.dir);

    const row = database.connection.prepare('PRAGMA journal_mode').get();
    database.close();

    expect(row).toEqual({ journal_mode: 'wal' });
  });

  it('rolls a transaction back when its work throws', () => {
    const database = openDatabase(data.dir);
    database.ensureSchema('CREATE TABLE IF NOT EXISTS t (v INTEGER)');

    const failing = () =>
      database.transaction(() => {
        database.statement('INSERT INTO t (v) VALUES (1)').run();
        throw new RangeError('stop');
      });

    expect(failing).toThrow(RangeError);
    expect(database.statement('SELECT COUNT(*) AS n FROM t').get()).toEqual({
      n: 0,
    });
    database.close();
  });

  it('commits the writes queued in one turn together, each in a savepoint', async () => {
    const database = openDatabase(data.dir);
    database.ensureSchema('CREATE TABLE IF NOT EXISTS t (v INTEGER)');
    const other = openDatabase(data.dir);
    const insert = (v: number) => () =>
      database.statement('INSERT INTO t (v) VALUES (?)').run(v).changes;

    const first = database.write(insert(1));
    const failing = database.write(() => {
      insert(2)();
      throw new RangeError('stop');
    });
    const third = database.write(insert(3));
    const pendingRows = other.statement('SELECT v FROM t').all();
    const results = await Promise.allSettled([first, failing, third]);

    expect(pendingRows).toEqual([]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(other.statement('SELECT v FROM t ORDER BY v').all()).toEqual([
      { v: 1 },
      { v: 3 },
    ]);
    expect(database.connection.isTransaction).toBe(false);
    other.close();
    database.close();
  });

  it('commits queued writes when the database closes', () => {
    const database = openDatabase(data.dir);
    database.ensureSchema('CREATE TABLE IF NOT EXISTS t (v INTEGER)');

    const queued = database.write(() =>
      database.statement('INSERT INTO t (v) VALUES (7)').run(),
    );
    database.close();
    const reopened = openDatabase(data.dir);
    const rows = reopened.statement('SELECT v FROM t').all();
    reopened.close();

    expect(rows).toEqual([{ v: 7 }]);
    return expect(queued).resolves.toMatchObject({ changes: 1 });
  });
});
