import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type EmbeddedDatabase,
  openDatabase,
} from '#registrar/adapters/embedded/database.ts';
import { SqliteRegistrationStore } from '#registrar/adapters/embedded/sqlite-store.ts';
import { aRegistration, temporaryDataDir } from './fixtures.ts';

describe('SqliteRegistrationStore across connections', () => {
  let data: ReturnType<typeof temporaryDataDir>;
  let database: EmbeddedDatabase;
  let store: SqliteRegistrationStore;

  beforeEach(() => {
    data = temporaryDataDir();
    database = openDatabase(data.dir);
    store = new SqliteRegistrationStore(database);
  });

  afterEach(() => {
    database.close();
    data.remove();
  });

  it('sees the writes of another connection to the same folder', async () => {
    const other = openDatabase(data.dir);
    const otherStore = new SqliteRegistrationStore(other);

    await otherStore.insert(aRegistration());
    other.close();

    expect(await store.findByAei('Cabc')).toBeDefined();
  });

  it('lets exactly one of several connections racing for a stem win', async () => {
    const gate = new SharedArrayBuffer(4);
    const workers = [0, 1, 2, 3].map(
      (i) =>
        new Worker(new URL('./insert-worker.ts', import.meta.url), {
          workerData: {
            dataDir: data.dir,
            registration: aRegistration({ rn: `name${i}` }),
            gate,
          },
        }),
    );
    await Promise.all(workers.map((worker) => once(worker, 'message')));

    const outcomes = Promise.all(
      workers.map(async (worker) => (await once(worker, 'message'))[0]),
    );
    Atomics.store(new Int32Array(gate), 0, 1);
    Atomics.notify(new Int32Array(gate), 0);

    expect((await outcomes).sort()).toEqual([
      'StemTakenError',
      'StemTakenError',
      'StemTakenError',
      'inserted',
    ]);
    expect(await store.list()).toHaveLength(1);
  });
});
