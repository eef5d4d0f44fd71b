import { beforeEach, describe, expect, it } from 'vitest';
import {
  NameTakenError,
  type RegistrationStore,
  StemTakenError,
  VersionConflictError,
} from '#registrar/ports/store.ts';
import type { Registration } from '#registrar/registrar/model.ts';

/**
 * Makes a store with no records: a fresh one, or one the factory emptied.
 * It may be asynchronous (creating a table on an emulator).
 */
export type StoreFactory = () => RegistrationStore | Promise<RegistrationStore>;

const T0 = Date.parse('2026-03-01T12:00:00.000Z');

/** A registration of stem `aei` named `rn`; `overrides` win. */
export function registrationOf(
  aei: string,
  rn: string,
  overrides: Partial<Registration> = {},
): Registration {
  return {
    aei,
    rn,
    attributes: {
      api: 'Nlight',
      rr: true,
      srv: ['3'],
      lbl: ['kitchen', 'ünïcode ✓'],
      poa: ['http://192.0.2.1:9000'],
      nested: { a: [1, 2.5, { b: null }], c: '' },
    },
    createdAt: T0,
    modifiedAt: T0,
    expiresAt: T0 + 3_600_000,
    version: 1,
    enrollmentId: 'plant-7',
    salt: 'c2FsdHNhbHRzYWx0c2FsdA',
    generation: 0,
    ...overrides,
  };
}

/**
 * The behaviour every {@link RegistrationStore} shares, as a test suite:
 * run it with a factory for the memory, SQLite or DynamoDB store.
 *
 * The suite uses only the port; it holds no mocks. Each test starts from
 * `makeStore()` and expects it empty.
 */
export function describeRegistrationStoreContract(
  name: string,
  makeStore: StoreFactory,
): void {
  describe(`RegistrationStore contract: ${name}`, () => {
    let store: RegistrationStore;

    beforeEach(async () => {
      store = await makeStore();
    });

    it('finds an inserted registration by stem and by name, unchanged', async () => {
      const registration = registrationOf('Cone', 'one');

      await store.insert(registration);

      expect(await store.findByAei('Cone')).toEqual(registration);
      expect(await store.findByName('one')).toEqual(registration);
    });

    it('keeps the optional fields absent when they were', async () => {
      const { enrollmentId: _, ...open } = registrationOf('Copen', 'open');

      await store.insert({ ...open, previousGenerationUntil: T0 + 1 });
      const found = await store.findByAei('Copen');

      expect(found).not.toHaveProperty('enrollmentId');
      expect(found?.previousGenerationUntil).toBe(T0 + 1);
    });

    it('returns undefined for an unknown stem or name', async () => {
      const byAei = await store.findByAei('Cnobody');
      const byName = await store.findByName('nobody');

      expect([byAei, byName]).toEqual([undefined, undefined]);
    });

    it.each([
      ['the stem', 'Cone', 'other', StemTakenError],
      ['the name', 'Cother', 'one', NameTakenError],
      ['both (the stem wins)', 'Cone', 'one', StemTakenError],
    ])('refuses an insert that reuses %s', async (_, aei, rn, error) => {
      await store.insert(registrationOf('Cone', 'one'));

      const attempt = store.insert(registrationOf(aei, rn, { version: 9 }));

      await expect(attempt).rejects.toBeInstanceOf(error);
      expect((await store.findByAei('Cone'))?.version).toBe(1);
      expect(await store.findByAei('Cother')).toBeUndefined();
    });

    it('lets exactly one of concurrent inserts of a stem win', async () => {
      const attempts = Array.from({ length: 5 }, (_, i) =>
        store.insert(registrationOf('Crace', `race${i}`)),
      );

      const outcomes = await Promise.allSettled(attempts);

      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o) => o.status === 'rejected');
      expect(won).toHaveLength(1);
      for (const outcome of lost) {
        expect(outcome.reason).toBeInstanceOf(StemTakenError);
      }
    });

    it('replaces a registration at the expected version', async () => {
      await store.insert(registrationOf('Cone', 'one'));
      const renewed = registrationOf('Cone', 'one', {
        version: 2,
        expiresAt: T0 + 7_200_000,
        modifiedAt: T0 + 10,
        attributes: { api: 'Nlight', lbl: ['hall'] },
      });

      await store.replace(renewed, 1);

      expect(await store.findByAei('Cone')).toEqual(renewed);
      expect(await store.findByName('one')).toEqual(renewed);
    });

    it.each([
      ['another version is stored', 'Cone', 5],
      ['the registration is gone', 'Cgone', 1],
    ])('refuses a replace when %s', async (_, aei, expected) => {
      await store.insert(registrationOf('Cone', 'one'));

      const attempt = store.replace(
        registrationOf(aei, aei === 'Cone' ? 'one' : 'gone', {
          version: expected + 1,
        }),
        expected,
      );

      await expect(attempt).rejects.toBeInstanceOf(VersionConflictError);
      expect((await store.findByAei('Cone'))?.version).toBe(1);
    });

    it.each([
      ['a version that does not follow', 'one', 3],
      ['a changed name', 'renamed', 2],
    ])('refuses a replacement with %s', async (_, rn, version) => {
      const original = registrationOf('Cone', 'one');
      await store.insert(original);

      const attempt = store.replace(registrationOf('Cone', rn, { version }), 1);

      await expect(attempt).rejects.toBeInstanceOf(VersionConflictError);
      expect(await store.findByAei('Cone')).toEqual(original);
    });

    it('lets exactly one of concurrent replaces of a version win', async () => {
      await store.insert(registrationOf('Cone', 'one'));
      const attempts = [1, 2, 3].map((i) =>
        store.replace(
          registrationOf('Cone', 'one', { version: 2, modifiedAt: T0 + i }),
          1,
        ),
      );

      const outcomes = await Promise.allSettled(attempts);

      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect((await store.findByAei('Cone'))?.version).toBe(2);
    });

    it('removes a registration at the expected version and frees stem and name', async () => {
      await store.insert(registrationOf('Cone', 'one'));

      const removed = await store.remove('Cone', 1);

      expect(removed).toBe(true);
      expect(await store.findByAei('Cone')).toBeUndefined();
      expect(await store.findByName('one')).toBeUndefined();
      await store.insert(registrationOf('Cone', 'one', { salt: 'bmV3' }));
      expect((await store.findByAei('Cone'))?.salt).toBe('bmV3');
    });

    it('frees the name for another stem after a remove', async () => {
      await store.insert(registrationOf('Cone', 'one'));
      await store.remove('Cone', 1);

      await store.insert(registrationOf('Cother', 'one'));

      expect((await store.findByName('one'))?.aei).toBe('Cother');
    });

    it.each([
      ['another version is stored', 2],
      ['the version is older', 0],
    ])('keeps a registration when %s', async (_, expected) => {
      await store.insert(registrationOf('Cone', 'one'));

      const removed = await store.remove('Cone', expected);

      expect(removed).toBe(false);
      expect(await store.findByAei('Cone')).toBeDefined();
    });

    it('answers false when removing what is gone, twice', async () => {
      const first = await store.remove('Cgone', 1);
      const second = await store.remove('Cgone', 1);

      expect([first, second]).toEqual([false, false]);
    });

    it('lists every registration in stem order, page by page', async () => {
      for (const aei of ['Cc', 'Ca', 'Cd', 'Cb', 'Ce']) {
        await store.insert(registrationOf(aei, `n${aei}`));
      }

      const first = await store.list({ limit: 2 });
      const second = await store.list({ after: 'Cb', limit: 2 });
      const rest = await store.list({ after: 'Cd' });

      expect(first.map((r) => r.aei)).toEqual(['Ca', 'Cb']);
      expect(second.map((r) => r.aei)).toEqual(['Cc', 'Cd']);
      expect(rest.map((r) => r.aei)).toEqual(['Ce']);
    });

    it('lists registrations expiring by a time, earliest first, up to a limit', async () => {
      const offsets = { Clate: 50, Cfirst: 10, Cthird: 30, Csecond: 20 };
      for (const [aei, offset] of Object.entries(offsets)) {
        await store.insert(
          registrationOf(aei, aei, { expiresAt: T0 + offset }),
        );
      }

      const due = await store.listExpiring(T0 + 30, 10);
      const limited = await store.listExpiring(T0 + 30, 2);

      expect(due.map((r) => r.aei)).toEqual(['Cfirst', 'Csecond', 'Cthird']);
      expect(limited.map((r) => r.aei)).toEqual(['Cfirst', 'Csecond']);
    });

    it('lists a renewed registration at its new expiry', async () => {
      await store.insert(registrationOf('Cone', 'one', { expiresAt: T0 }));
      await store.replace(
        registrationOf('Cone', 'one', { version: 2, expiresAt: T0 + 1000 }),
        1,
      );

      const before = await store.listExpiring(T0 + 999, 10);
      const after = await store.listExpiring(T0 + 1000, 10);

      expect(before).toEqual([]);
      expect(after.map((r) => r.version)).toEqual([2]);
    });
  });
}
