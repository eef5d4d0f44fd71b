import { describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '#registrar/adapters/memory/audit-log.ts';
import { MemoryRegistrationStore } from '#registrar/adapters/memory/store.ts';
import { MemoryExpiryTimers } from '#registrar/adapters/memory/timers.ts';
import {
  NameTakenError,
  StemTakenError,
  VersionConflictError,
} from '#registrar/ports/store.ts';
import type { Registration } from '#registrar/registrar/model.ts';

function registration(aei: string, extra: Partial<Registration> = {}) {
  return {
    aei,
    rn: `rn-${aei}`,
    attributes: { api: 'Nx', rr: true, srv: ['3'] },
    createdAt: 0,
    modifiedAt: 0,
    expiresAt: 1000,
    version: 1,
    salt: 'c2FsdA',
    generation: 0,
    ...extra,
  } satisfies Registration;
}

describe('MemoryRegistrationStore', () => {
  it('finds a record by stem and by name', async () => {
    const store = new MemoryRegistrationStore();
    await store.insert(registration('Ca'));

    expect((await store.findByAei('Ca'))?.rn).toBe('rn-Ca');
    expect((await store.findByName('rn-Ca'))?.aei).toBe('Ca');
    expect(await store.findByAei('Cb')).toBeUndefined();
  });

  it('reports a taken stem before a taken name', async () => {
    const store = new MemoryRegistrationStore();
    await store.insert(registration('Ca'));

    await expect(store.insert(registration('Ca'))).rejects.toThrow(
      StemTakenError,
    );
    await expect(
      store.insert(registration('Cb', { rn: 'rn-Ca' })),
    ).rejects.toThrow(NameTakenError);
  });

  it('hands out copies, not what it stores', async () => {
    const store = new MemoryRegistrationStore();
    await store.insert(registration('Ca'));
    const copy = (await store.findByAei('Ca')) as { attributes: object };

    (copy.attributes as Record<string, unknown>).api = 'Nchanged';

    expect((await store.findByAei('Ca'))?.attributes.api).toBe('Nx');
  });

  it.each([
    ['a stale expected version', 0, 2],
    ['a version that does not follow', 1, 3],
  ])('refuses a replace with %s', async (_case, expected, next) => {
    const store = new MemoryRegistrationStore();
    await store.insert(registration('Ca'));

    await expect(
      store.replace(registration('Ca', { version: next }), expected),
    ).rejects.toThrow(VersionConflictError);
  });

  it('replaces at the expected version', async () => {
    const store = new MemoryRegistrationStore();
    await store.insert(registration('Ca'));

    await store.replace(registration('Ca', { version: 2, expiresAt: 5 }), 1);

    expect(await store.findByAei('Ca')).toMatchObject({
      version: 2,
      expiresAt: 5,
    });
  });

  it('removes only at the expected version, freeing stem and name', async () => {
    const store = new MemoryRegistrationStore();
    await store.insert(registration('Ca'));

    expect(await store.remove('Ca', 2)).toBe(false);
    expect(await store.remove('Ca', 1)).toBe(true);
    expect(await store.remove('Ca', 1)).toBe(false);
    await store.insert(registration('Ca'));
  });

  it('lists in stem order, in pages, and what expires by a time', async () => {
    const store = new MemoryRegistrationStore();
    await store.insert(registration('Cc', { expiresAt: 30 }));
    await store.insert(registration('Ca', { expiresAt: 20 }));
    await store.insert(registration('Cb', { expiresAt: 10 }));

    const page = await store.list({ after: 'Ca', limit: 1 });
    const expiring = await store.listExpiring(20, 10);

    expect(page.map((r) => r.aei)).toEqual(['Cb']);
    expect(expiring.map((r) => r.aei)).toEqual(['Cb', 'Ca']);
  });
});

describe('MemoryExpiryTimers', () => {
  it('replaces, disarms and lists what is due', async () => {
    const timers = new MemoryExpiryTimers();
    await timers.arm('Ca', 10);
    await timers.arm('Ca', 30);
    await timers.arm('Cb', 20);
    await timers.disarm('Cc');

    expect(timers.due(25)).toEqual(['Cb']);
    await timers.disarm('Cb');
    expect(timers.due(40)).toEqual(['Ca']);
    expect(timers.armedAt('Ca')).toBe(30);
  });
});

describe('MemoryAuditLog', () => {
  it('lists the records of one AE, oldest first', async () => {
    const audit = new MemoryAuditLog();
    await audit.append({ aei: 'Ca', action: 'registered', at: 1, actor: 'Ca' });
    await audit.append({ aei: 'Cb', action: 'registered', at: 2, actor: 'Cb' });
    await audit.append({ aei: 'Ca', action: 'deleted', at: 3, actor: 'Ca' });

    const records = await audit.list('Ca');

    expect(records.map((r) => r.action)).toEqual(['registered', 'deleted']);
  });
});
