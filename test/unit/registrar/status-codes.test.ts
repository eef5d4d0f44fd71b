import { describe, expect, it } from 'vitest';
import { NotAuthenticatedError } from '#registrar/onem2m/errors.ts';
import type { HttpRequest } from '#registrar/onem2m/message.ts';
import { formatTimestamp } from '#registrar/onem2m/timestamp.ts';
import type { RegistrarDependencies } from '#registrar/registrar/registrar.ts';
import {
  aeBody,
  createRequest,
  harness,
  request,
  rsc,
  START,
} from './harness.ts';

const owner = { 'x-m2m-origin': 'Cowner' };

/**
 * One request per response status code of onem2m.md section 5 that the
 * core produces, with the HTTP status it must travel with. `5103` is not
 * here: it belongs to notifications to an AE, which the core does not
 * send yet. Nor is `5001`: a Create of a type other than `<AE>` is the
 * caller's mistake, `4005`.
 */
const rows: Array<
  [number, number, HttpRequest, Partial<RegistrarDependencies>?]
> = [
  [2000, 200, request({ path: '/cse-in/owned', headers: owner })],
  [2001, 201, createRequest('Cnew')],
  [2002, 200, request({ method: 'DELETE', path: '/Cowner', headers: owner })],
  [
    2004,
    200,
    request({
      method: 'PUT',
      path: '/Cowner',
      headers: owner,
      body: { 'm2m:ae': {} },
    }),
  ],
  [4000, 400, createRequest('Cnew', { 'm2m:ae': {} })],
  [4001, 501, request({ headers: { ...owner, 'x-m2m-rvi': '9' } })],
  [4004, 404, request({ path: '/cse-in/none', headers: owner })],
  [4005, 405, request({ method: 'DELETE', headers: owner })],
  [
    4005,
    405,
    createRequest(
      'Cnew',
      {},
      { headers: { 'content-type': 'application/json;ty=4' } },
    ),
  ],
  [
    4008,
    504,
    request({ headers: { ...owner, 'x-m2m-ret': formatTimestamp(START) } }),
  ],
  [
    4015,
    415,
    createRequest('Cnew', aeBody(), {
      headers: { 'content-type': 'text/plain;ty=2' },
    }),
  ],
  [
    4102,
    400,
    request({
      method: 'PUT',
      path: '/Cowner',
      headers: owner,
      body: { 'm2m:cnt': {} },
    }),
  ],
  [
    4103,
    403,
    request({ path: '/Cowner', headers: { 'x-m2m-origin': 'Cother' } }),
  ],
  [4105, 409, createRequest('Cnew', aeBody({ rn: 'owned' }))],
  [
    4106,
    403,
    request({ headers: owner }),
    {
      authenticator: {
        authenticate: async () => {
          throw new NotAuthenticatedError('unsigned');
        },
      },
    },
  ],
  [4107, 403, createRequest('/id-in')],
  [4108, 403, createRequest('Cnew', aeBody(), { path: '/cse-in/owned' })],
  [4117, 403, createRequest('Cowner')],
  [4126, 403, createRequest('CAdmin')],
  [
    5000,
    500,
    request({ headers: owner }),
    {
      authenticator: {
        authenticate: async () => {
          throw new Error('unexpected');
        },
      },
    },
  ],
  [5207, 406, request({ headers: { ...owner, accept: 'application/cbor' } })],
];

describe('response status codes', () => {
  it.each(rows)(
    'produces %i with HTTP %i',
    async (code, status, sent, deps) => {
      const setup = harness();
      await setup.registrar.handle(
        createRequest('Cowner', aeBody({ rn: 'owned' })),
      );
      const { registrar } = deps
        ? harness({ store: setup.store, ...deps })
        : setup;

      const response = await registrar.handle(sent);

      expect(rsc(response)).toBe(code);
      expect(response.status).toBe(status);
      expect(response.headers['X-M2M-RSC']).toBe(String(code));
    },
  );
});
