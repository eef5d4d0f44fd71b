import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type EmbeddedDatabase,
  openDatabase,
} from '#registrar/adapters/embedded/database.ts';
import { SqliteEnrollmentStore } from '#registrar/adapters/embedded/enrollment-store.ts';
import { SqliteFailureCounters } from '#registrar/adapters/embedded/failure-counters.ts';
import { SqliteReplayGuard } from '#registrar/adapters/embedded/replay-guard.ts';
import { MemoryEnrollmentStore } from '#registrar/adapters/memory/enrollment-store.ts';
import { MemoryFailureCounters } from '#registrar/adapters/memory/failure-counters.ts';
import { MemoryReplayGuard } from '#registrar/adapters/memory/replay-guard.ts';
import {
  type Enrollment,
  EnrollmentExistsError,
  type EnrollmentStore,
} from '#registrar/ports/enrollments.ts';
import type { FailureCounters } from '#registrar/ports/lockout.ts';
import type { ReplayGuard } from '#registrar/ports/replay.ts';

const opened: { database: EmbeddedDatabase; dir: string }[] = [];

function database(): EmbeddedDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'm2m-security-stores-'));
  const db = openDatabase(dir);
  opened.push({ database: db, dir });
  return db;
}

afterEach(() => {
  for (const { database: db, dir } of opened.splice(0)) {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

const enrollment: Enrollment = {
  id: 'plant-7',
  originators: ['Csensor-*'],
  apps: ['Nmeter'],
  defaultLifetimeS: 3600,
  maxLifetimeS: 86400,
  targets: ['/id-mn1'],
  state: 'active',
  keyVersion: 1,
  createdAt: 1_700_000_000_000,
};

describe.each([
  ['memory', (): EnrollmentStore => new MemoryEnrollmentStore()],
  ['sqlite', (): EnrollmentStore => new SqliteEnrollmentStore(database())],
])('enrollment store (%s)', (_name, create) => {
  it('finds what it stored', async () => {
    const store = create();

    await store.insert(enrollment);

    expect(await store.find('plant-7')).toEqual(enrollment);
    expect(await store.find('other')).toBeUndefined();
  });

  it('refuses a second enrollment with the same id', async () => {
    const store = create();
    await store.insert(enrollment);

    await expect(store.insert(enrollment)).rejects.toThrow(
      EnrollmentExistsError,
    );
  });

  it('lists enrollments in id order', async () => {
    const store = create();
    await store.insert({ ...enrollment, id: 'b' });
    await store.insert({ ...enrollment, id: 'a' });

    const ids = (await store.list()).map((each) => each.id);

    expect(ids).toEqual(['a', 'b']);
  });

  it('replaces state and key version but keeps the creation time', async () => {
    const store = create();
    await store.insert(enrollment);

    const replaced = await store.replace({
      ...enrollment,
      state: 'disabled',
      keyVersion: 2,
      createdAt: 0,
    });

    expect(replaced).toBe(true);
    expect(await store.find('plant-7')).toEqual({
      ...enrollment,
      state: 'disabled',
      keyVersion: 2,
    });
  });

  it('replaces nothing when the enrollment does not exist', async () => {
    const store = create();

    expect(await store.replace(enrollment)).toBe(false);
    expect(await store.list()).toEqual([]);
  });
});

describe.each([
  ['memory', (): ReplayGuard => new MemoryReplayGuard(2)],
  ['sqlite', (): ReplayGuard => new SqliteReplayGuard(database())],
])('replay guard (%s)', (_name, create) => {
  it('accepts a pair once while it is remembered', async () => {
    const guard = create();

    const first = await guard.claim(
      'reg:C1:0',
      'nonce-0123456789ab',
      2000,
      1000,
    );
    const again = await guard.claim(
      'reg:C1:0',
      'nonce-0123456789ab',
      2500,
      1999,
    );

    expect([first, again]).toEqual([true, false]);
  });

  it('keeps keys apart', async () => {
    const guard = create();
    await guard.claim('reg:C1:0', 'nonce-0123456789ab', 2000, 1000);

    const other = await guard.claim(
      'reg:C2:0',
      'nonce-0123456789ab',
      2000,
      1000,
    );

    expect(other).toBe(true);
  });

  it('accepts the pair again once its time is up', async () => {
    const guard = create();
    await guard.claim('reg:C1:0', 'nonce-0123456789ab', 2000, 1000);

    const later = await guard.claim(
      'reg:C1:0',
      'nonce-0123456789ab',
      3000,
      2000,
    );

    expect(later).toBe(true);
  });
});

describe('memory replay guard', () => {
  it('sweeps pairs whose time is up, so its size stays bounded', async () => {
    const guard = new MemoryReplayGuard(10);

    for (let i = 0; i < 100; i += 1) {
      await guard.claim('k', `nonce-${i}-padding-xx`, i + 5, i);
    }

    expect(guard.size).toBeLessThanOrEqual(20);
  });
});

describe('sqlite replay guard', () => {
  it('remembers pairs across connections (a restart)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'm2m-replay-'));
    const first = openDatabase(dir);
    await new SqliteReplayGuard(first).claim('k', 'n'.repeat(16), 2000, 1000);
    first.close();
    const second = openDatabase(dir);

    const again = await new SqliteReplayGuard(second).claim(
      'k',
      'n'.repeat(16),
      2000,
      1500,
    );

    second.close();
    rmSync(dir, { recursive: true, force: true });
    expect(again).toBe(false);
  });
});

describe.each([
  ['memory', (): FailureCounters => new MemoryFailureCounters()],
  ['sqlite', (): FailureCounters => new SqliteFailureCounters(database())],
])('failure counters (%s)', (_name, create) => {
  it('counts failures in a row', async () => {
    const counters = create();

    await counters.recordFailure('plant-7', 1000, 0);
    const second = await counters.recordFailure('plant-7', 1100, 0);

    expect(second).toEqual({ count: 2, lastFailureAt: 1100 });
    expect(await counters.read('plant-7')).toEqual(second);
  });

  it('starts again after a quiet period', async () => {
    const counters = create();
    await counters.recordFailure('plant-7', 1000, 0);

    const fresh = await counters.recordFailure('plant-7', 9000, 5000);

    expect(fresh).toEqual({ count: 1, lastFailureAt: 9000 });
  });

  it('keeps subjects apart and forgets on clear', async () => {
    const counters = create();
    await counters.recordFailure('plant-7', 1000, 0);
    await counters.recordFailure('plant-8', 1000, 0);

    await counters.clear('plant-7');

    expect(await counters.read('plant-7')).toBeUndefined();
    expect((await counters.read('plant-8'))?.count).toBe(1);
  });
});
