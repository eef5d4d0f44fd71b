import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '#registrar/local/runtime.ts';
import {
  lightApp,
  m2m,
  removeDataDir,
  startRegistrar,
  temporaryDataDir,
} from './support/registrar.ts';

describe('bad input over the wire', () => {
  let dataDir: string;
  let runtime: LocalRuntime;

  beforeAll(async () => {
    dataDir = temporaryDataDir();
    runtime = await startRegistrar(dataDir);
  });

  afterAll(async () => {
    await runtime.stop();
    removeDataDir(dataDir);
  });

  it.each([
    ['invalid JSON', '{"m2m:ae": {"api": '],
    ['a JSON array', '[1, 2]'],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])],
    ['a root other than m2m:ae', { 'm2m:cnt': { rn: 'x' } }],
    ['api as a number', lightApp({ api: 42 })],
    ['rr as a string', lightApp({ rr: 'yes' })],
    ['srv as a string', lightApp({ srv: '4' })],
    ['lbl as a string', lightApp({ lbl: 'kitchen' })],
    ['an unknown attribute', lightApp({ unknown: 1 })],
    ['cr, even as null', lightApp({ cr: null })],
    ['a not-permitted ri', lightApp({ ri: 'Cmine' })],
    ['a missing api', { 'm2m:ae': { rr: true, srv: ['4'] } }],
    ['an et in the past', lightApp({ et: '20000101T000000' })],
    ['a 3 MB body', new Uint8Array(3 * 1024 * 1024).fill(0x20)],
  ])(
    'answers a Create with %s with 4000 and m2m:dbg, storing nothing',
    async (_case, body) => {
      const response = await m2m(runtime.url, 'POST', '/cse-in', {
        ty: 2,
        origin: 'Cbad',
        body,
      });

      expect(response.rsc).toBe(4000);
      expect(response.status).toBe(400);
      expect(response.body?.['m2m:dbg']).toEqual(expect.any(String));
      expect(await runtime.store.list()).toEqual([]);
    },
  );

  it.each([
    ['no X-M2M-RI', 4000, { 'X-M2M-RI': '' }],
    ['no X-M2M-RVI', 4001, { 'X-M2M-RVI': '' }],
    ['an unsupported X-M2M-RVI', 4001, { 'X-M2M-RVI': '1' }],
    [
      'a ty that is not a number',
      4000,
      { 'Content-Type': 'application/json;ty=x' },
    ],
  ])('answers a request with %s with %i', async (_case, rsc, headers) => {
    const response = await m2m(runtime.url, 'POST', '/cse-in', {
      ty: 2,
      origin: 'Cbad',
      body: lightApp(),
      headers,
    });

    expect(response.rsc).toBe(rsc);
    // 4001 travels as HTTP 501 (onem2m.md section 5); no 5xxx code.
    expect(response.rsc).toBeLessThan(5000);
    expect(response.body?.['m2m:dbg']).toEqual(expect.any(String));
    expect(await runtime.store.list()).toEqual([]);
  });

  it('answers a Retrieve without X-M2M-Origin with 4000', async () => {
    const response = await m2m(runtime.url, 'GET', '/cse-in/lightApp');

    expect(response.rsc).toBe(4000);
    expect(response.body?.['m2m:dbg']).toEqual(expect.any(String));
  });

  it('answers an unknown target with 4004', async () => {
    const response = await m2m(runtime.url, 'GET', '/cse-in/nobody', {
      origin: 'Cbad',
    });

    expect(response.rsc).toBe(4004);
  });

  it('answers an Update whose root is not m2m:ae with 4102', async () => {
    const created = await m2m(runtime.url, 'POST', '/cse-in', {
      ty: 2,
      origin: 'Cupdater',
      body: lightApp({ rn: 'updater' }),
    });
    expect(created.rsc).toBe(2001);

    const response = await m2m(runtime.url, 'PUT', '/cse-in/updater', {
      origin: 'Cupdater',
      body: { 'm2m:cnt': { lbl: ['x'] } },
    });

    expect(response.rsc).toBe(4102);
    expect(response.body?.['m2m:dbg']).toEqual(expect.any(String));
    await m2m(runtime.url, 'DELETE', '/cse-in/updater', { origin: 'Cupdater' });
  });
});
