import { describe, expect, it } from 'vitest';
import {
  aeBody,
  createRequest,
  fixedCredentials,
  harness,
  json,
  request,
  rsc,
} from './harness.ts';

const ae = {
  rn: 'lightApp',
  ty: 2,
  ri: 'Clight',
  pi: 'id-in',
  ct: '20260101T000000,000000',
  lt: '20260101T000000,000000',
  et: '20260101T010000,000000',
  aei: 'Clight',
  api: 'Nlight-switch',
  rr: true,
  srv: ['3'],
  poa: ['http://127.0.0.1:9990'],
};

const body = aeBody({ rn: 'lightApp', poa: ['http://127.0.0.1:9990'] });

describe('result content of a Create', () => {
  it.each([
    ['', { 'm2m:ae': ae }],
    ['rcn=1', { 'm2m:ae': ae }],
    ['rcn=2', { 'm2m:uri': 'cse-in/lightApp' }],
    ['rcn=3', { 'm2m:rce': { ae, uri: 'cse-in/lightApp' } }],
  ])('answers %j with its shape', async (query, expected) => {
    const { registrar } = harness();

    const response = await registrar.handle(
      createRequest('Clight', body, { query }),
    );

    expect(rsc(response)).toBe(2001);
    expect(response.status).toBe(201);
    expect(json(response)).toEqual(expected);
    expect(response.headers['Content-Location']).toBe('cse-in/lightApp');
  });

  it('answers rcn=0 without a body in open mode', async () => {
    const { registrar } = harness();

    const response = await registrar.handle(
      createRequest('Clight', body, { query: 'rcn=0' }),
    );

    expect(rsc(response)).toBe(2001);
    expect(response.body).toBeUndefined();
    expect(response.headers['Content-Type']).toBeUndefined();
  });

  it.each([
    ['', 'm2m:ae'],
    ['rcn=0', undefined],
    ['rcn=2', 'm2m:uri'],
    ['rcn=3', 'm2m:rce'],
  ])('adds the credential member to %j', async (query, first) => {
    const { registrar } = harness({ credentials: fixedCredentials });

    const response = await registrar.handle(
      createRequest('Clight', body, { query }),
    );

    const members = Object.keys(json(response));
    expect(members).toEqual(
      first === undefined
        ? ['m2m-registrar:cred']
        : [first, 'm2m-registrar:cred'],
    );
    expect(json(response)['m2m-registrar:cred'].kid).toBe('reg:Clight:0');
  });

  it('never returns the credential member on a Retrieve', async () => {
    const { registrar } = harness({ credentials: fixedCredentials });
    await registrar.handle(createRequest('Clight', body));

    const response = await registrar.handle(
      request({ path: '/Clight', headers: { 'x-m2m-origin': 'Clight' } }),
    );

    expect(json(response)).toEqual({ 'm2m:ae': ae });
  });
});

describe('result content of Update and Delete', () => {
  async function registered() {
    const h = harness();
    await h.registrar.handle(createRequest('Clight', body));
    h.clock.advance(1500);
    return h;
  }

  it('answers an Update with the changed resource and a new lt', async () => {
    const { registrar } = await registered();

    const response = await registrar.handle(
      request({
        method: 'PUT',
        path: '/cse-in/lightApp',
        headers: { 'x-m2m-origin': 'Clight' },
        body: { 'm2m:ae': { lbl: ['kitchen'], poa: null } },
      }),
    );

    const { poa: _removed, ...rest } = ae;
    expect(rsc(response)).toBe(2004);
    expect(json(response)).toEqual({
      'm2m:ae': { ...rest, lt: '20260101T000001,500000', lbl: ['kitchen'] },
    });
  });

  it('answers an Update with rcn=0 without a body', async () => {
    const { registrar } = await registered();

    const response = await registrar.handle(
      request({
        method: 'PUT',
        path: '/Clight',
        query: 'rcn=0',
        headers: { 'x-m2m-origin': 'Clight' },
        body: { 'm2m:ae': { rr: false } },
      }),
    );

    expect(rsc(response)).toBe(2004);
    expect(response.body).toBeUndefined();
  });

  it.each([
    ['', undefined],
    ['rcn=0', undefined],
    ['rcn=1', { 'm2m:ae': ae }],
  ])('answers a Delete with %j', async (query, expected) => {
    const { registrar } = await registered();

    const response = await registrar.handle(
      request({
        method: 'DELETE',
        path: '/Clight',
        query,
        headers: { 'x-m2m-origin': 'Clight' },
      }),
    );

    expect(rsc(response)).toBe(2002);
    expect(response.status).toBe(200);
    expect(response.body === undefined ? undefined : json(response)).toEqual(
      expected,
    );
  });
});
