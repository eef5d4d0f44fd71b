import { describe, expect, it } from 'vitest';
import { NotAuthenticatedError } from '#registrar/onem2m/errors.ts';
import type {
  Principal,
  RegistrationPolicy,
} from '#registrar/ports/authenticator.ts';
import {
  aeBody,
  authenticatorFor,
  createRequest,
  harness,
  json,
  request,
  rsc,
} from './harness.ts';

const policy: RegistrationPolicy = {
  enrollmentId: 'enr-1',
  allowsOriginator: (originator) => originator.startsWith('Clamp'),
  allowsApp: (api) => api === 'Nlamp',
  defaultLifetimeMs: 60_000,
  maxLifetimeMs: 120_000,
};

const enrollment: Principal = {
  kind: 'enrollment',
  enrollmentId: 'enr-1',
  policy,
};

async function withLamp(principal: Principal) {
  const h = harness({ authenticator: authenticatorFor(principal) });
  const open = harness({ store: h.store, timers: h.timers, audit: h.audit });
  await open.registrar.handle(
    createRequest('Clamp1', aeBody({ rn: 'lamp', api: 'Nlamp' })),
  );
  return h;
}

describe('access', () => {
  it('returns 4106 when authentication fails', async () => {
    const { registrar } = harness({
      authenticator: {
        authenticate: async () => {
          throw new NotAuthenticatedError('the signature does not verify');
        },
      },
    });

    const response = await registrar.handle(
      request({ headers: { 'x-m2m-origin': 'Cx' } }),
    );

    expect(rsc(response)).toBe(4106);
    expect(json(response)['m2m:dbg']).toBe('the signature does not verify');
  });

  it.each<[string, Principal, string, string, number]>([
    [
      'a registration of the originator',
      { kind: 'registration', aei: 'Clamp1', generation: 0 },
      'GET',
      'Clamp1',
      2000,
    ],
    [
      'a registration of someone else',
      { kind: 'registration', aei: 'Cother', generation: 0 },
      'GET',
      'Clamp1',
      4106,
    ],
    ['an enrollment on a Retrieve', enrollment, 'GET', 'Clamp1', 4106],
    ['an enrollment on an Update', enrollment, 'PUT', 'Clamp1', 4106],
    ['an enrollment on a Delete', enrollment, 'DELETE', 'Clamp1', 4106],
    [
      'the admin with the admin originator',
      { kind: 'admin' },
      'GET',
      'CAdmin',
      2000,
    ],
    [
      'the admin with another originator',
      { kind: 'admin' },
      'GET',
      'Clamp1',
      4106,
    ],
  ])('binds %s', async (_case, principal, method, origin, code) => {
    const { registrar } = await withLamp(principal);

    const response = await registrar.handle(
      request({
        method,
        path: '/cse-in/lamp',
        headers: { 'x-m2m-origin': origin },
        ...(method === 'PUT' ? { body: { 'm2m:ae': {} } } : {}),
      }),
    );

    expect(rsc(response)).toBe(code);
  });

  it.each([
    ['retrieve', 'GET'],
    ['update', 'PUT'],
    ['delete', 'DELETE'],
  ])('returns 4103 when another AE tries to %s an <AE>', async (_c, method) => {
    const { registrar, store } = await withLamp({ kind: 'open' });

    const response = await registrar.handle(
      request({
        method,
        path: '/cse-in/lamp',
        headers: { 'x-m2m-origin': 'Cwrong' },
        ...(method === 'PUT' ? { body: { 'm2m:ae': { lbl: ['x'] } } } : {}),
      }),
    );

    expect(rsc(response)).toBe(4103);
    expect(response.status).toBe(403);
    expect((await store.findByAei('Clamp1'))?.version).toBe(1);
  });

  it.each([
    ['retrieve', 'GET', 2000],
    ['update', 'PUT', 2004],
    ['delete', 'DELETE', 2002],
  ])('lets the admin originator %s an <AE>', async (_c, method, code) => {
    const { registrar } = await withLamp({ kind: 'open' });

    const response = await registrar.handle(
      request({
        method,
        path: '/cse-in/lamp',
        headers: { 'x-m2m-origin': 'CAdmin' },
        ...(method === 'PUT' ? { body: { 'm2m:ae': { lbl: ['x'] } } } : {}),
      }),
    );

    expect(rsc(response)).toBe(code);
  });

  it('returns the <CSEBase> to any authenticated originator', async () => {
    const { registrar } = harness({
      authenticator: authenticatorFor({
        kind: 'registration',
        aei: 'Cstranger',
        generation: 0,
      }),
    });

    const response = await registrar.handle(
      request({ headers: { 'x-m2m-origin': 'Cstranger' } }),
    );

    expect(rsc(response)).toBe(2000);
  });
});

describe('registration policy', () => {
  it('registers what the enrollment allows, under the enrollment', async () => {
    const { registrar, store } = harness({
      authenticator: authenticatorFor(enrollment),
    });

    const response = await registrar.handle(
      createRequest('Clamp7', aeBody({ api: 'Nlamp' })),
    );

    expect(rsc(response)).toBe(2001);
    expect((await store.findByAei('Clamp7'))?.enrollmentId).toBe('enr-1');
  });

  it.each([
    ['an originator the enrollment does not allow', 'Cbulb', 'Nlamp'],
    ['an assigned stem the enrollment does not allow', 'C', 'Nlamp'],
    ['an App-ID the enrollment does not allow', 'Clamp7', 'Nbulb'],
  ])('returns 4126 for %s', async (_case, origin, api) => {
    const { registrar, store } = harness({
      authenticator: authenticatorFor(enrollment),
    });

    const response = await registrar.handle(
      createRequest(origin, aeBody({ api })),
    );

    expect(rsc(response)).toBe(4126);
    expect(await store.list()).toEqual([]);
  });

  it.each<[string, Principal]>([
    [
      'a registration credential',
      { kind: 'registration', aei: 'Cnew', generation: 0 },
    ],
    ['the operator credential', { kind: 'admin' }],
  ])('returns 4126 for a Create signed with %s', async (_case, principal) => {
    const origin = principal.kind === 'admin' ? 'CAdmin' : 'Cnew';
    const { registrar } = harness({
      authenticator: authenticatorFor(principal),
    });

    const response = await registrar.handle(createRequest(origin));

    expect(rsc(response)).toBe(4126);
  });

  it('clamps et to the enrollment maximum', async () => {
    const { registrar, clock } = harness({
      authenticator: authenticatorFor(enrollment),
    });

    const response = await registrar.handle(
      createRequest('Clamp7', aeBody({ api: 'Nlamp', et: '20270101T000000' })),
    );

    const et = json(response)['m2m:ae'].et;
    expect(et).toBe('20260101T000200,000000');
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1));
  });

  it('uses the enrollment default when et is absent', async () => {
    const { registrar } = harness({
      authenticator: authenticatorFor(enrollment),
    });

    const response = await registrar.handle(
      createRequest('Clamp7', aeBody({ api: 'Nlamp' })),
    );

    expect(json(response)['m2m:ae'].et).toBe('20260101T000100,000000');
  });

  it('clamps an updated et to the current enrollment policy', async () => {
    const h = harness({
      authenticator: authenticatorFor(enrollment),
      enrollmentPolicy: async () => policy,
    });
    await h.registrar.handle(createRequest('Clamp7', aeBody({ api: 'Nlamp' })));
    const owner = harness({
      store: h.store,
      timers: h.timers,
      audit: h.audit,
      enrollmentPolicy: async () => policy,
    });

    const response = await owner.registrar.handle(
      request({
        method: 'PUT',
        path: '/Clamp7',
        headers: { 'x-m2m-origin': 'Clamp7' },
        body: { 'm2m:ae': { et: '20270101T000000' } },
      }),
    );

    expect(json(response)['m2m:ae'].et).toBe('20260101T000200,000000');
  });
});
