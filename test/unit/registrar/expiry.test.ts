import { describe, expect, it } from 'vitest';
import { formatTimestamp } from '#registrar/onem2m/timestamp.ts';
import {
  aeBody,
  createRequest,
  DEFAULT_LIFETIME_MS,
  harness,
  json,
  MAX_LIFETIME_MS,
  request,
  rsc,
  START,
} from './harness.ts';

function update(et: unknown, origin = 'Clight') {
  return request({
    method: 'PUT',
    path: '/Clight',
    headers: { 'x-m2m-origin': origin },
    body: { 'm2m:ae': { et } },
  });
}

function retrieve(origin = 'Clight') {
  return request({ path: '/Clight', headers: { 'x-m2m-origin': origin } });
}

describe('expiration on Create', () => {
  it.each([
    ['absent', undefined, START + DEFAULT_LIFETIME_MS],
    ['within the maximum', formatTimestamp(START + 5000), START + 5000],
    [
      'beyond the maximum',
      formatTimestamp(START + MAX_LIFETIME_MS + 1),
      START + MAX_LIFETIME_MS,
    ],
  ])('grants et when it is %s and arms the timer', async (_c, et, granted) => {
    const { registrar, timers } = harness();

    const response = await registrar.handle(
      createRequest('Clight', aeBody(et === undefined ? {} : { et })),
    );

    expect(rsc(response)).toBe(2001);
    expect(json(response)['m2m:ae'].et).toBe(formatTimestamp(granted));
    expect(timers.armedAt('Clight')).toBe(granted);
  });

  it.each([
    ['in the past', formatTimestamp(START - 1000)],
    ['now', formatTimestamp(START)],
  ])('returns 4000 when et is %s', async (_case, et) => {
    const { registrar, store } = harness();

    const response = await registrar.handle(
      createRequest('Clight', aeBody({ et })),
    );

    expect(rsc(response)).toBe(4000);
    expect(await store.list()).toEqual([]);
  });
});

const NOON = START + 12 * 3600_000;

/** `et` in the basic form with no fraction or 1 to 6 fraction digits. */
const fractionWidths: Array<[string, number]> = [
  ['20260101T120000', NOON],
  ['20260101T120000,5', NOON + 500],
  ['20260101T120000,25', NOON + 250],
  ['20260101T120000,125', NOON + 125],
  ['20260101T120000,1254', NOON + 125],
  ['20260101T120000,12549', NOON + 125],
  ['20260101T120000,125499', NOON + 125],
];

describe('et fraction widths', () => {
  it.each(fractionWidths)(
    'accepts et %s on Create and answers the fixed width',
    async (et, granted) => {
      const { registrar } = harness();

      const response = await registrar.handle(
        createRequest('Clight', aeBody({ et })),
      );

      expect(rsc(response)).toBe(2001);
      expect(json(response)['m2m:ae'].et).toBe(formatTimestamp(granted));
    },
  );

  it.each(fractionWidths)(
    'accepts et %s on Update and answers the fixed width',
    async (et, granted) => {
      const { registrar } = harness();
      await registrar.handle(createRequest('Clight'));

      const response = await registrar.handle(update(et));

      expect(rsc(response)).toBe(2004);
      expect(json(response)['m2m:ae'].et).toBe(formatTimestamp(granted));
    },
  );

  it('lowers a far et with one fraction digit instead of refusing it', async () => {
    const { registrar } = harness();

    const response = await registrar.handle(
      createRequest('Clight', aeBody({ et: '20301231T235959,5' })),
    );

    expect(rsc(response)).toBe(2001);
    expect(json(response)['m2m:ae'].et).toBe(
      formatTimestamp(START + MAX_LIFETIME_MS),
    );
  });

  it('returns 4000 for et with seven fraction digits', async () => {
    const { registrar } = harness();

    const response = await registrar.handle(
      createRequest('Clight', aeBody({ et: '20260101T120000,1234567' })),
    );

    expect(rsc(response)).toBe(4000);
  });
});

describe('expiration on Update', () => {
  async function registered() {
    const h = harness();
    await h.registrar.handle(createRequest('Clight'));
    h.clock.advance(60_000);
    return h;
  }

  it('re-arms the timer at a new et', async () => {
    const { registrar, timers } = await registered();
    const et = START + 2 * DEFAULT_LIFETIME_MS;

    const response = await registrar.handle(update(formatTimestamp(et)));

    expect(rsc(response)).toBe(2004);
    expect(json(response)['m2m:ae'].et).toBe(formatTimestamp(et));
    expect(timers.armedAt('Clight')).toBe(et);
  });

  it('lowers an et beyond the maximum to the maximum', async () => {
    const { registrar, clock } = await registered();

    const response = await registrar.handle(
      update(formatTimestamp(clock.now() + 2 * MAX_LIFETIME_MS)),
    );

    expect(json(response)['m2m:ae'].et).toBe(
      formatTimestamp(clock.now() + MAX_LIFETIME_MS),
    );
  });

  it('lets the CSE choose et again on "et": null', async () => {
    const { registrar, clock, timers } = await registered();

    const response = await registrar.handle(update(null));

    const expected = clock.now() + DEFAULT_LIFETIME_MS;
    expect(json(response)['m2m:ae'].et).toBe(formatTimestamp(expected));
    expect(timers.armedAt('Clight')).toBe(expected);
  });

  it('returns 4000 for an et in the past and keeps the record', async () => {
    const { registrar, store, timers } = await registered();

    const response = await registrar.handle(
      update(formatTimestamp(START + 1000)),
    );

    expect(rsc(response)).toBe(4000);
    expect((await store.findByAei('Clight'))?.version).toBe(1);
    expect(timers.armedAt('Clight')).toBe(START + DEFAULT_LIFETIME_MS);
  });

  it('keeps et and the timer when the Update does not name et', async () => {
    const { registrar, timers } = await registered();

    const response = await registrar.handle(
      request({
        method: 'PUT',
        path: '/Clight',
        headers: { 'x-m2m-origin': 'Clight' },
        body: { 'm2m:ae': { lbl: ['x'] } },
      }),
    );

    expect(json(response)['m2m:ae'].et).toBe(
      formatTimestamp(START + DEFAULT_LIFETIME_MS),
    );
    expect(timers.armedAt('Clight')).toBe(START + DEFAULT_LIFETIME_MS);
  });
});

describe('an expired <AE>', () => {
  async function expired() {
    const h = harness();
    await h.registrar.handle(createRequest('Clight', aeBody({ rn: 'light' })));
    h.clock.advance(DEFAULT_LIFETIME_MS);
    return h;
  }

  it.each([
    ['retrieved', retrieve()],
    ['updated', update(null)],
    [
      'deleted',
      request({
        method: 'DELETE',
        path: '/Clight',
        headers: { 'x-m2m-origin': 'Clight' },
      }),
    ],
  ])('is 4004 when %s before its timer ran', async (_case, sent) => {
    const { registrar, store } = await expired();

    const response = await registrar.handle(sent);

    expect(rsc(response)).toBe(4004);
    expect(await store.findByAei('Clight')).toBeDefined();
  });

  it('frees its stem for a new registration', async () => {
    const { registrar, audit } = await expired();

    const response = await registrar.handle(createRequest('Clight'));

    expect(rsc(response)).toBe(2001);
    expect(audit.all().map((record) => record.action)).toEqual([
      'registered',
      'expired',
      'registered',
    ]);
  });

  it('frees its name for a new registration', async () => {
    const { registrar, store } = await expired();

    const response = await registrar.handle(
      createRequest('Cother', aeBody({ rn: 'light' })),
    );

    expect(rsc(response)).toBe(2001);
    expect(await store.findByAei('Clight')).toBeUndefined();
  });
});

describe('expire', () => {
  it('de-registers an expired registration as a Delete does', async () => {
    const { registrar, store, timers, audit, clock } = harness();
    await registrar.handle(createRequest('Clight'));
    clock.advance(DEFAULT_LIFETIME_MS);

    await registrar.expire('Clight');

    expect(await store.findByAei('Clight')).toBeUndefined();
    expect(timers.armedAt('Clight')).toBeUndefined();
    expect(await audit.list('Clight')).toEqual([
      expect.objectContaining({ action: 'registered' }),
      expect.objectContaining({
        action: 'expired',
        actor: 'timer',
        at: START + DEFAULT_LIFETIME_MS,
      }),
    ]);
  });

  it('does nothing before et', async () => {
    const { registrar, store, audit, clock } = harness();
    await registrar.handle(createRequest('Clight'));
    clock.advance(DEFAULT_LIFETIME_MS - 1);

    await registrar.expire('Clight');

    expect(await store.findByAei('Clight')).toBeDefined();
    expect(await audit.list('Clight')).toHaveLength(1);
  });

  it('does nothing when it fires late for a renewed registration', async () => {
    const { registrar, store, timers, clock } = harness();
    await registrar.handle(createRequest('Clight'));
    clock.advance(DEFAULT_LIFETIME_MS - 1000);
    await registrar.handle(update(null));
    clock.advance(1000);

    await registrar.expire('Clight');

    expect(await store.findByAei('Clight')).toBeDefined();
    expect(timers.armedAt('Clight')).toBe(
      clock.now() - 1000 + DEFAULT_LIFETIME_MS,
    );
  });

  it('does nothing the second time, or for an unknown stem', async () => {
    const { registrar, audit, clock } = harness();
    await registrar.handle(createRequest('Clight'));
    clock.advance(DEFAULT_LIFETIME_MS);

    await registrar.expire('Clight');
    await registrar.expire('Clight');
    await registrar.expire('Cnobody');

    expect(audit.all().map((record) => record.action)).toEqual([
      'registered',
      'expired',
    ]);
  });

  it('leaves a registration renewed between read and removal', async () => {
    const { registrar, store, clock, audit } = harness();
    await registrar.handle(createRequest('Clight'));
    clock.advance(DEFAULT_LIFETIME_MS);
    const stale = await store.findByAei('Clight');
    if (stale === undefined) throw new Error('not registered');
    await store.replace(
      { ...stale, expiresAt: clock.now() + 1000, version: 2 },
      1,
    );
    store.findByAei = async () => stale;

    await registrar.expire('Clight');

    expect(await store.list()).toHaveLength(1);
    expect(await audit.list('Clight')).toHaveLength(1);
  });
});

describe('revoke', () => {
  it('ends a live registration and records the operator', async () => {
    const { registrar, store, timers, audit } = harness();
    await registrar.handle(createRequest('Clight'));

    const revoked = await registrar.revoke('Clight', 'operator');

    expect(revoked).toBe(true);
    expect(await store.findByAei('Clight')).toBeUndefined();
    expect(timers.armedAt('Clight')).toBeUndefined();
    expect((await audit.list('Clight')).at(-1)).toMatchObject({
      action: 'revoked',
      actor: 'operator',
    });
  });

  it.each([
    ['unknown', 0],
    ['expired', DEFAULT_LIFETIME_MS],
  ])('returns false for an %s registration', async (_case, later) => {
    const { registrar, clock } = harness();
    await registrar.handle(createRequest('Clight'));
    clock.advance(later);

    const revoked = await registrar.revoke(
      later === 0 ? 'Cnobody' : 'Clight',
      'operator',
    );

    expect(revoked).toBe(false);
  });

  it('returns false the second time', async () => {
    const { registrar } = harness();
    await registrar.handle(createRequest('Clight'));
    await registrar.revoke('Clight', 'operator');

    expect(await registrar.revoke('Clight', 'operator')).toBe(false);
  });

  it('makes the AE unknown to its own requests', async () => {
    const { registrar } = harness();
    await registrar.handle(createRequest('Clight'));
    await registrar.revoke('Clight', 'operator');

    const response = await registrar.handle(retrieve());

    expect(rsc(response)).toBe(4004);
  });
});

describe('an expired holder of a stem used as a name', () => {
  it('frees the name for a registration without rn', async () => {
    const { registrar, clock, store } = harness();
    await registrar.handle(createRequest('Cfirst', aeBody({ rn: 'Csecond' })));
    clock.advance(DEFAULT_LIFETIME_MS);

    const response = await registrar.handle(createRequest('Csecond'));

    expect(rsc(response)).toBe(2001);
    expect(json(response)['m2m:ae'].rn).toBe('Csecond');
    expect(await store.findByAei('Cfirst')).toBeUndefined();
  });
});

describe('the expiry timer around a de-registration', () => {
  it('keeps the timer of a registration that takes the stem right after the removal', async () => {
    const { registrar, store, timers, clock } = harness();
    await registrar.handle(createRequest('Clight'));
    clock.advance(DEFAULT_LIFETIME_MS);
    const remove = store.remove.bind(store);
    let registeredAgain = false;
    store.remove = async (aei, version) => {
      const removed = await remove(aei, version);
      if (removed && !registeredAgain) {
        registeredAgain = true;
        await registrar.handle(createRequest('Clight'));
      }
      return removed;
    };

    await registrar.expire('Clight');

    const next = await store.findByAei('Clight');
    expect(registeredAgain).toBe(true);
    expect(next?.expiresAt).toBe(clock.now() + DEFAULT_LIFETIME_MS);
    expect(timers.armedAt('Clight')).toBe(next?.expiresAt);
  });

  it('arms the timer again when a renewal wins against the removal', async () => {
    const { registrar, store, timers, clock } = harness();
    await registrar.handle(createRequest('Clight'));
    clock.advance(DEFAULT_LIFETIME_MS);
    const stale = await store.findByAei('Clight');
    if (stale === undefined) throw new Error('not registered');
    const renewedUntil = clock.now() + 60_000;
    await store.replace({ ...stale, expiresAt: renewedUntil, version: 2 }, 1);
    await timers.arm('Clight', renewedUntil);
    const find = store.findByAei.bind(store);
    let reads = 0;
    store.findByAei = async (aei) => {
      reads += 1;
      return reads === 1 ? stale : find(aei);
    };

    const ended = await registrar.expire('Clight');

    expect(ended).toBe(false);
    expect((await store.findByAei('Clight'))?.version).toBe(2);
    expect(timers.armedAt('Clight')).toBe(renewedUntil);
  });
});
