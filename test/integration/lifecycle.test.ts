import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '#registrar/local/runtime.ts';
import {
  aeOf,
  m2m,
  register,
  removeDataDir,
  startRegistrar,
  temporaryDataDir,
} from './support/registrar.ts';

describe('AE lifecycle over HTTP (onem2m.md section 9)', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  let url: string;
  let aei: string;

  beforeAll(async () => {
    dataDir = temporaryDataDir();
    runtime = await startRegistrar(dataDir);
    url = runtime.url;
  });

  afterAll(async () => {
    await runtime.stop();
    removeDataDir(dataDir);
  });

  it('registers the AE with 2001 and a CSE-assigned AE-ID', async () => {
    const response = await register(url, {}, undefined);

    const ae = aeOf(response);
    aei = String(ae.aei);
    expect(response.status).toBe(201);
    expect(response.rsc).toBe(2001);
    expect(response.headers.get('x-m2m-ri')).toMatch(/^req-/);
    expect(aei).toMatch(/^C[A-Za-z0-9]+$/);
    expect(ae).toMatchObject({
      rn: 'lightApp',
      ty: 2,
      ri: aei,
      pi: 'id-in',
      api: 'Nlight-switch',
      rr: true,
      srv: ['4'],
      poa: ['http://127.0.0.1:9990'],
    });
    expect(String(ae.et)).toMatch(/^\d{8}T\d{6},\d{6}$/);
  });

  it('returns the AE to its own originator with 2000', async () => {
    const response = await m2m(url, 'GET', '/cse-in/lightApp', {
      origin: aei,
    });

    expect(response.rsc).toBe(2000);
    expect(aeOf(response).aei).toBe(aei);
  });

  it('updates the labels with 2004 and a later lt', async () => {
    const before = aeOf(
      await m2m(url, 'GET', '/cse-in/lightApp', { origin: aei }),
    );

    const response = await m2m(url, 'PUT', '/cse-in/lightApp', {
      origin: aei,
      body: { 'm2m:ae': { lbl: ['kitchen'] } },
    });

    expect(response.status).toBe(200);
    expect(response.rsc).toBe(2004);
    expect(aeOf(response).lbl).toEqual(['kitchen']);
    expect(String(aeOf(response).lt) >= String(before.lt)).toBe(true);
  });

  it('refuses another originator with 4103', async () => {
    const response = await m2m(url, 'GET', '/cse-in/lightApp', {
      origin: 'Cwrong',
    });

    expect(response.status).toBe(403);
    expect(response.rsc).toBe(4103);
    expect(response.body?.['m2m:dbg']).toEqual(expect.any(String));
  });

  it('refuses an AE under an AE with 4108', async () => {
    const response = await m2m(url, 'POST', '/cse-in/lightApp', {
      ty: 2,
      origin: 'Cchild',
      body: { 'm2m:ae': { api: 'Nchild', rr: false, srv: ['4'] } },
    });

    expect(response.status).toBe(403);
    expect(response.rsc).toBe(4108);
  });

  it('deletes the AE with 2002, after which it is gone', async () => {
    const response = await m2m(url, 'DELETE', '/cse-in/lightApp', {
      origin: aei,
    });
    const after = await m2m(url, 'GET', '/cse-in/lightApp', { origin: aei });

    expect(response.status).toBe(200);
    expect(response.rsc).toBe(2002);
    expect(after.rsc).toBe(4004);
    expect(await runtime.store.list()).toEqual([]);
  });

  it('leaves an audit trail of the registration, update and deletion', async () => {
    const records = await runtime.audit.list(aei);

    expect(records.map((record) => record.action)).toEqual([
      'registered',
      'updated',
      'deleted',
    ]);
  });

  it('lets the freed stem register again', async () => {
    const response = await register(url, {}, aei);

    expect(response.rsc).toBe(2001);
    expect(aeOf(response).aei).toBe(aei);
  });
});
