import { describe, expect, it } from 'vitest';
import { NotAuthenticatedError } from '#registrar/onem2m/errors.ts';
import type { HttpRequest } from '#registrar/onem2m/message.ts';
import type { RegistrationPolicy } from '#registrar/ports/authenticator.ts';
import {
  aeBody,
  authenticatorFor,
  createRequest,
  harness,
  request,
  rsc,
} from './harness.ts';

const refusing = {
  authenticate: async (): Promise<never> => {
    throw new NotAuthenticatedError('unsigned');
  },
};

const invalid = { 'm2m:ae': { rr: 'yes' } };

/**
 * Each request breaks two rules; the earlier check in the contract's order
 * (header checks, authentication, target lookup, parent type, originator,
 * name clash, attribute validation) decides the code.
 */
const cases: Array<[string, HttpRequest, number, boolean]> = [
  [
    'a missing RI (4000) before a missing target (4004)',
    request({
      path: '/cse-in/none',
      headers: { 'x-m2m-ri': undefined, 'x-m2m-origin': 'Cx' },
    }),
    4000,
    false,
  ],
  [
    'an unsupported release (4001) before authentication (4106)',
    request({ headers: { 'x-m2m-rvi': '1', 'x-m2m-origin': 'Cx' } }),
    4001,
    true,
  ],
  [
    'authentication (4106) before a missing target (4004)',
    request({ path: '/cse-in/none', headers: { 'x-m2m-origin': 'Cx' } }),
    4106,
    true,
  ],
  [
    'a missing target (4004) before a CSE-ID originator (4107)',
    createRequest('/id-in', aeBody(), { path: '/cse-in/none' }),
    4004,
    false,
  ],
  [
    'the parent type (4108) before a CSE-ID originator (4107)',
    createRequest('/id-in', aeBody(), { path: '/cse-in/taken' }),
    4108,
    false,
  ],
  [
    'a CSE-ID originator (4107) before a broken body (4000)',
    createRequest('/id-in', undefined, {
      rawBody: new TextEncoder().encode('{'),
    }),
    4107,
    false,
  ],
  [
    'the admin originator (4126) before a name clash (4105)',
    createRequest('CAdmin', aeBody({ rn: 'taken' })),
    4126,
    false,
  ],
  [
    'a registered stem (4117) before a name clash (4105)',
    createRequest('Ctaken', aeBody({ rn: 'taken' })),
    4117,
    false,
  ],
  [
    'a name clash (4105) before invalid attributes (4000)',
    createRequest('Cnew', { 'm2m:ae': { rn: 'taken', rr: 'yes' } }),
    4105,
    false,
  ],
  [
    'a registered stem (4117) before invalid attributes (4000)',
    createRequest('Ctaken', invalid),
    4117,
    false,
  ],
  [
    'no privilege (4103) before invalid attributes (4000)',
    request({
      method: 'PUT',
      path: '/cse-in/taken',
      headers: { 'x-m2m-origin': 'Cstranger' },
      body: invalid,
    }),
    4103,
    false,
  ],
  [
    'an unsupported type (4005) before the parent type (4108)',
    createRequest(
      'Cx',
      {},
      {
        path: '/cse-in/taken',
        headers: { 'content-type': 'application/json;ty=3' },
      },
    ),
    4005,
    false,
  ],
  [
    'a missing target (4004) before an unsupported type (4005)',
    createRequest(
      'Cx',
      {},
      {
        path: '/cse-in/none',
        headers: { 'content-type': 'application/json;ty=3' },
      },
    ),
    4004,
    false,
  ],
];

describe('check order', () => {
  it.each(cases)('puts %s', async (_case, sent, code, refuse) => {
    const setup = harness();
    await setup.registrar.handle(
      createRequest('Ctaken', aeBody({ rn: 'taken' })),
    );
    const { registrar } = refuse
      ? harness({ store: setup.store, authenticator: refusing })
      : setup;

    const response = await registrar.handle(sent);

    expect(rsc(response)).toBe(code);
  });
});

/** An enrollment that may register any originator, only App-ID `Nallowed`. */
const onlyNallowed: RegistrationPolicy = {
  enrollmentId: 'e1',
  allowsOriginator: () => true,
  allowsApp: (api) => api === 'Nallowed',
  defaultLifetimeMs: 3600_000,
  maxLifetimeMs: 86_400_000,
};

const enrolled = authenticatorFor({
  kind: 'enrollment',
  enrollmentId: 'e1',
  policy: onlyNallowed,
});

describe('check order under a registration policy', () => {
  it.each([
    [
      'a disallowed App-ID (4126) before a registered stem (4117)',
      createRequest('Ctaken', aeBody({ api: 'Nother' })),
      4126,
    ],
    [
      'a disallowed App-ID (4126) before a taken name (4105)',
      createRequest('Cnew', aeBody({ api: 'Nother', rn: 'taken' })),
      4126,
    ],
    [
      'a disallowed App-ID (4126) before invalid attributes (4000)',
      createRequest('Cnew', { 'm2m:ae': { api: 'Nother', rr: 'yes' } }),
      4126,
    ],
    [
      'a registered stem (4117) before a malformed App-ID (4000)',
      createRequest('Ctaken', aeBody({ api: 'Xbad' })),
      4117,
    ],
    [
      'a registered stem (4117) before a missing App-ID (4000)',
      createRequest('Ctaken', { 'm2m:ae': { rr: true, srv: ['3'] } }),
      4117,
    ],
    [
      'a taken name (4105) before an App-ID that is not a string (4000)',
      createRequest('Cnew', aeBody({ api: 42, rn: 'taken' })),
      4105,
    ],
  ])('puts %s', async (_case, sent, code) => {
    const setup = harness();
    await setup.registrar.handle(
      createRequest('Ctaken', aeBody({ rn: 'taken' })),
    );
    const { registrar } = harness({
      store: setup.store,
      authenticator: enrolled,
    });

    const response = await registrar.handle(sent);

    expect(rsc(response)).toBe(code);
  });

  it('registers an allowed App-ID', async () => {
    const { registrar } = harness({ authenticator: enrolled });

    const response = await registrar.handle(
      createRequest('Cnew', aeBody({ api: 'Nallowed' })),
    );

    expect(rsc(response)).toBe(2001);
  });
});
