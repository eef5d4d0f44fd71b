import { beforeEach, describe, expect, it } from 'vitest';
import {
  NameTakenError,
  type RegistrationStore,
  StemTakenError,
  VersionConflictError,
} from '#registrar/ports/store.ts';
import { aRegistration } from './fixtures.ts';

/**
 * The behaviour every {@link RegistrationStore} shares (the port's
 * contract): uniqueness of stem and name, conditional writes, paging and
 * the expiry listing. Each adapter's test file runs it on its own store.
 */
export function describeRegistrationStoreContract(
  name: string,
  createStore: () => RegistrationStore,
): void {
  describe(`${name} (RegistrationStore contract)`, () => {
    let store: RegistrationStore;

    beforeEach(() => {
      store = createStore();
    });

    it('returns an inserted record by aei and by name', async () => {
      const registration = aRegistration();

      await store.insert(registration);

      expect(await store.findByAei('Cabc')).toEqual(registration);
      expect(await store.findByName('lightApp')).toEqual(registration);
    });

    it('returns undefined for an unknown aei or name', async () => {
      await store.insert(aRegistration());

      expect(await store.findByAei('Cother')).toBeUndefined();
      expect(await store.findByName('other')).toBeUndefined();
    });

    it('refuses a second record with the same stem', async () => {
      await store.insert(aRegistration());

      const second = store.insert(aRegistration({ rn: 'otherName' }));

      await expect(second).rejects.toBeInstanceOf(StemTakenError);
      expect((await store.findByAei('Cabc'))?.rn).toBe('lightApp');
    });

    it('refuses a second record with the same name', async () => {
      await store.insert(aRegistration());

      const second = store.insert(aRegistration({ aei: 'Cother' }));

      await expect(second).rejects.toBeInstanceOf(NameTakenError);
      expect(await store.findByAei('Cother')).toBeUndefined();
    });

    it('reports the stem when both the stem and the name clash', async () => {
      await store.insert(aRegistration());

      const second = store.insert(aRegistration());

      await expect(second).rejects.toBeInstanceOf(StemTakenError);
    });

    it('frees the stem and the name when a record is removed', async () => {
      await store.insert(aRegistration());
      await store.remove('Cabc', 1);

      await store.insert(aRegistration({ version: 1 }));

      expect(await store.findByAei('Cabc')).toBeDefined();
    });

    it('replaces a record whose version matches', async () => {
      await store.insert(aRegistration());
      const renewed = aRegistration({
        version: 2,
        expiresAt: 1_800_000_000_000,
      });

      await store.replace(renewed, 1);

      expect(await store.findByAei('Cabc')).toEqual(renewed);
    });

    it.each([
      ['an older version', 'Cabc', 0],
      ['a newer version', 'Cabc', 2],
      ['a missing record', 'Cmissing', 1],
    ])('refuses to replace %s', async (_case, aei, expected) => {
      await store.insert(aRegistration());

      const replace = store.replace(
        aRegistration({ aei, version: expected + 1 }),
        expected,
      );

      await expect(replace).rejects.toBeInstanceOf(VersionConflictError);
      expect((await store.findByAei('Cabc'))?.version).toBe(1);
    });

    it.each([
      ['a version that does not follow', { version: 3 }],
      ['a changed name', { version: 2, rn: 'renamed' }],
    ])('refuses a replacement with %s', async (_case, changes) => {
      await store.insert(aRegistration());

      const replace = store.replace(aRegistration(changes), 1);

      await expect(replace).rejects.toBeInstanceOf(VersionConflictError);
      expect(await store.findByAei('Cabc')).toEqual(aRegistration());
    });

    it('removes a record only when its version matches', async () => {
      await store.insert(aRegistration());

      const stale = await store.remove('Cabc', 7);
      const current = await store.remove('Cabc', 1);
      const again = await store.remove('Cabc', 1);

      expect([stale, current, again]).toEqual([false, true, false]);
      expect(await store.findByAei('Cabc')).toBeUndefined();
    });

    it('lists records in aei order, page by page', async () => {
      for (const aei of ['Cd', 'Cb', 'Ce', 'Ca', 'Cc']) {
        await store.insert(aRegistration({ aei, rn: `n${aei}` }));
      }

      const first = await store.list({ limit: 2 });
      const second = await store.list({ after: 'Cb', limit: 2 });
      const last = await store.list({ after: 'Cd', limit: 2 });

      expect(first.map((r) => r.aei)).toEqual(['Ca', 'Cb']);
      expect(second.map((r) => r.aei)).toEqual(['Cc', 'Cd']);
      expect(last.map((r) => r.aei)).toEqual(['Ce']);
    });

    it('lists records expiring at or before a time, earliest first', async () => {
      await store.insert(aRegistration({ aei: 'Ca', rn: 'a', expiresAt: 300 }));
      await store.insert(aRegistration({ aei: 'Cb', rn: 'b', expiresAt: 100 }));
      await store.insert(aRegistration({ aei: 'Cc', rn: 'c', expiresAt: 200 }));
      await store.insert(aRegistration({ aei: 'Cd', rn: 'd', expiresAt: 400 }));

      const expiring = await store.listExpiring(300, 2);

      expect(expiring.map((r) => r.aei)).toEqual(['Cb', 'Cc']);
    });
  });
}
