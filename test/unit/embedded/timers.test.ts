import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type EmbeddedDatabase,
  openDatabase,
} from '#registrar/adapters/embedded/database.ts';
import { SqliteRegistrationStore } from '#registrar/adapters/embedded/sqlite-store.ts';
import { SqliteExpiryTimers } from '#registrar/adapters/embedded/timers.ts';
import { aRegistration, temporaryDataDir } from './fixtures.ts';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('SqliteExpiryTimers', () => {
  let data: ReturnType<typeof temporaryDataDir>;
  const opened: EmbeddedDatabase[] = [];
  const started: SqliteExpiryTimers[] = [];

  function timers(pollIntervalMs = 1000): SqliteExpiryTimers {
    const database = openDatabase(data.dir);
    opened.push(database);
    const created = new SqliteExpiryTimers({
      database,
      store: new SqliteRegistrationStore(database),
      pollIntervalMs,
      retryBaseMs: 20,
    });
    started.push(created);
    return created;
  }

  function recorder(): {
    fired: string[];
    callback: (aei: string) => Promise<void>;
  } {
    const fired: string[] = [];
    return { fired, callback: async (aei) => void fired.push(aei) };
  }

  beforeEach(() => {
    data = temporaryDataDir();
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((t) => t.stop()));
    for (const database of opened.splice(0)) {
      database.close();
    }
    data.remove();
  });

  it('fires a timer at its due time and then forgets it', async () => {
    const subject = timers();
    const { fired, callback } = recorder();
    subject.start(callback);

    await subject.arm('Cabc', Date.now() + 60);
    await sleep(20);
    const early = [...fired];

    await vi.waitFor(() => expect(fired).toEqual(['Cabc']));
    expect(early).toEqual([]);
    expect(subject.dueAt('Cabc')).toBeUndefined();
  });

  it('never asks setTimeout for more than 2^31-1 ms', async () => {
    const database = openDatabase(data.dir);
    opened.push(database);
    const subject = new SqliteExpiryTimers({
      database,
      store: new SqliteRegistrationStore(database),
      pollIntervalMs: 2 ** 40,
    });
    started.push(subject);
    const delays: number[] = [];
    const real = globalThis.setTimeout;
    const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
      fn: () => void,
      ms?: number,
    ) => {
      delays.push(ms ?? 0);
      return real(fn, ms);
    }) as typeof setTimeout);

    await subject.arm('Cfar', Date.now() + 40 * 24 * 3600 * 1000);
    subject.start(async () => undefined);
    await sleep(50);
    spy.mockRestore();

    expect(delays.length).toBeGreaterThan(0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(2 ** 31 - 1);
  });

  it('fires due timers earliest first', async () => {
    const subject = timers();
    const { fired, callback } = recorder();
    const now = Date.now();
    await subject.arm('Clate', now + 90);
    await subject.arm('Cfirst', now + 30);
    await subject.arm('Cmiddle', now + 60);

    subject.start(callback);

    await vi.waitFor(() => expect(fired).toHaveLength(3));
    expect(fired).toEqual(['Cfirst', 'Cmiddle', 'Clate']);
  });

  it('replaces the due time when a timer is armed again', async () => {
    const subject = timers();
    const { fired, callback } = recorder();
    subject.start(callback);
    const first = Date.now() + 40;
    await subject.arm('Cabc', first);

    await subject.arm('Cabc', first + 200);
    await sleep(120);

    expect(fired).toEqual([]);
    expect(subject.dueAt('Cabc')).toBe(first + 200);
    await vi.waitFor(() => expect(fired).toEqual(['Cabc']));
  });

  it('does not fire a disarmed timer', async () => {
    const subject = timers();
    const { fired, callback } = recorder();
    subject.start(callback);
    await subject.arm('Cabc', Date.now() + 30);

    await subject.disarm('Cabc');
    await sleep(100);

    expect(fired).toEqual([]);
  });

  it('accepts the disarming of a timer that does not exist', async () => {
    const subject = timers();

    await expect(subject.disarm('Cnever')).resolves.toBeUndefined();
  });

  it('keeps pending timers across a stop and a new start', async () => {
    const before = timers();
    before.start(recorder().callback);
    await before.arm('Cabc', Date.now() + 150);
    await before.stop();
    const after = timers();
    const { fired, callback } = recorder();

    after.start(callback);

    await vi.waitFor(() => expect(fired).toEqual(['Cabc']));
  });

  it('fires a timer that another connection armed', async () => {
    const subject = timers(50);
    const { fired, callback } = recorder();
    subject.start(callback);
    await sleep(10);

    await timers().arm('Cabc', Date.now());

    await vi.waitFor(() => expect(fired).toEqual(['Cabc']));
  });

  it('retries a failed callback later', async () => {
    const subject = timers();
    let calls = 0;
    subject.start(async () => {
      calls += 1;
      if (calls === 1) {
        throw new Error('store unavailable');
      }
    });

    await subject.arm('Cabc', Date.now());

    await vi.waitFor(() => expect(calls).toBe(2));
    await vi.waitFor(() => expect(subject.dueAt('Cabc')).toBeUndefined());
  });

  it('keeps a timer that was armed again while it fired', async () => {
    const subject = timers();
    const later = Date.now() + 60_000;
    let calls = 0;
    subject.start(async (aei) => {
      calls += 1;
      await subject.arm(aei, later);
    });

    await subject.arm('Cabc', Date.now());

    await vi.waitFor(() => expect(calls).toBe(1));
    expect(subject.dueAt('Cabc')).toBe(later);
  });

  it('fires for an expired record that has no timer when it starts', async () => {
    const subject = timers();
    const database = openDatabase(data.dir);
    opened.push(database);
    await new SqliteRegistrationStore(database).insert(
      aRegistration({ expiresAt: Date.now() - 1000 }),
    );
    const { fired, callback } = recorder();

    subject.start(callback);

    await vi.waitFor(() => expect(fired).toEqual(['Cabc']));
  });
});
