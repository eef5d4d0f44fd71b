import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '#registrar/cli/main.ts';
import { parseTimestamp } from '#registrar/onem2m/timestamp.ts';
import {
  aeBody,
  keyBytes,
  type Reply,
  type SignedServer,
  type Signing,
  send,
  startSignedServer,
} from './support.ts';

let dataDir: string;
let server: SignedServer;
let km: Uint8Array;
let ks: Uint8Array;

async function createEnrollment(...argv: string[]): Promise<Uint8Array> {
  let out = '';
  await main(
    ['enrollment', 'create', ...argv, '--json'],
    { M2M_DATA_DIR: dataDir },
    { stdout: (text) => (out += text), stderr: () => undefined },
  );
  return keyBytes(JSON.parse(out).masterCredential);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'm2m-security-refusals-'));
  server = await startSignedServer(dataDir);
  km = await createEnrollment(
    '--id',
    'plant-7',
    '--originators',
    'Csensor-*',
    '--apps',
    'Nmeter*',
    '--default-lifetime',
    '10m',
    '--max-lifetime',
    '1h',
  );
  const registered = await send(server.url, 'POST', '/cse-in', {
    origin: 'Csensor-1',
    ty: 2,
    body: aeBody({ rn: 'sensor-1' }),
    signing: { keyid: 'enr:plant-7:1', key: km },
  });
  ks = keyBytes(registered.body['m2m-registrar:cred'].key);
});

afterAll(async () => {
  await server.runtime.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function retrieve(signing?: Signing, origin = 'Csensor-1') {
  return send(server.url, 'GET', '/cse-in/sensor-1', {
    origin,
    ...(signing === undefined ? {} : { signing }),
  });
}

function expectRefused(reply: Reply, reason: RegExp): void {
  expect(reply.status).toBe(403);
  expect(reply.rsc).toBe(4106);
  expect(reply.body['m2m:dbg']).toMatch(reason);
}

const now = () => Math.floor(Date.now() / 1000);

describe('signed mode refuses with 4106 and a clear reason', () => {
  it('accepts a good signature (the baseline)', async () => {
    const reply = await retrieve({ keyid: 'reg:Csensor-1:0', key: ks });

    expect(reply.rsc).toBe(2000);
  });

  it('refuses an unsigned request', async () => {
    expectRefused(await retrieve(), /missing-signature/);
  });

  it('refuses a request signed with the wrong key', async () => {
    const reply = await retrieve({ keyid: 'reg:Csensor-1:0', key: km });

    expectRefused(reply, /bad-signature/);
  });

  it('refuses a replayed request', async () => {
    const signing = {
      keyid: 'reg:Csensor-1:0',
      key: ks,
      nonce: 'replay-nonce-0123456789',
    };
    const first = await retrieve(signing);

    const again = await retrieve(signing);

    expect(first.rsc).toBe(2000);
    expectRefused(again, /replayed/);
  });

  it.each([
    ['stale', -400, /stale/],
    ['future-dated', 400, /future/],
  ])('refuses a %s signature', async (_case, offset, reason) => {
    const reply = await retrieve({
      keyid: 'reg:Csensor-1:0',
      key: ks,
      created: now() + offset,
    });

    expectRefused(reply, reason);
  });

  it.each([
    ['an unknown enrollment', 'enr:nobody:1', /unknown-keyid/],
    ['an unknown registration', 'reg:Cnobody:0', /unknown-keyid/],
    ['a generation never issued', 'reg:Csensor-1:5', /unknown-keyid/],
    ['a keyid of no known shape', 'k1', /unknown-keyid/],
  ])('refuses %s', async (_case, keyid, reason) => {
    expectRefused(await retrieve({ keyid, key: ks }), reason);
  });

  it('refuses a tampered body', async () => {
    const reply = await send(server.url, 'PUT', '/cse-in/sensor-1', {
      origin: 'Csensor-1',
      body: { 'm2m:ae': { lbl: ['a'] } },
      signing: {
        keyid: 'reg:Csensor-1:0',
        key: ks,
        sentBody: JSON.stringify({ 'm2m:ae': { lbl: ['b'] } }),
      },
    });

    expectRefused(reply, /digest-mismatch/);
  });

  it.each([
    ['an empty Signature', { Signature: '' }, /missing-signature/],
    [
      'an empty Signature-Input',
      { 'Signature-Input': '' },
      /missing-signature/,
    ],
    [
      'a malformed Signature',
      { Signature: 'm2m=:not base64!:' },
      /malformed-signature/,
    ],
    [
      'a malformed Signature-Input',
      { 'Signature-Input': 'm2m=("@method"' },
      /malformed-signature-input/,
    ],
    [
      'a Signature-Input without nonce',
      {
        'Signature-Input':
          'm2m=("@method" "@path" "@query" "x-m2m-origin" "x-m2m-ri");created=1;keyid="reg:Csensor-1:0"',
      },
      /nonce is required/,
    ],
    [
      'a malformed Content-Digest',
      { 'Content-Digest': 'sha-256=abc' },
      /malformed-content-digest/,
    ],
    [
      'a Content-Digest of another body',
      {
        'Content-Digest':
          'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:',
      },
      /digest-mismatch/,
    ],
  ])('refuses %s', async (_case, after, reason) => {
    const reply = await send(server.url, 'PUT', '/cse-in/sensor-1', {
      origin: 'Csensor-1',
      body: { 'm2m:ae': { lbl: ['x'] } },
      signing: { keyid: 'reg:Csensor-1:0', key: ks, after },
    });

    expectRefused(reply, reason);
  });

  it('refuses a registration secret sent with another originator', async () => {
    await send(server.url, 'POST', '/cse-in', {
      origin: 'Csensor-2',
      ty: 2,
      body: aeBody({ rn: 'sensor-2' }),
      signing: { keyid: 'enr:plant-7:1', key: km },
    });

    const reply = await send(server.url, 'GET', '/cse-in/sensor-2', {
      origin: 'Csensor-2',
      signing: { keyid: 'reg:Csensor-1:0', key: ks },
    });

    expectRefused(reply, /does not belong to X-M2M-Origin/);
  });

  it('refuses a master credential for anything but a Create <AE>', async () => {
    const reply = await retrieve({ keyid: 'enr:plant-7:1', key: km });

    expectRefused(reply, /enrollment credential/);
  });
});

describe('enrollment policy', () => {
  it.each([
    ['an originator', 'Cintruder', 'Nmeter', /originator/i],
    ['an App-ID', 'Csensor-9', 'Nother', /App-ID|api/i],
  ])(
    'answers 4126 for %s outside the enrollment',
    async (_case, origin, api, reason) => {
      const reply = await send(server.url, 'POST', '/cse-in', {
        origin,
        ty: 2,
        body: aeBody({ api }),
        signing: { keyid: 'enr:plant-7:1', key: km },
      });

      expect(reply.rsc).toBe(4126);
      expect(reply.body['m2m:dbg']).toMatch(reason);
    },
  );

  it('clamps et to the maximum lifetime of the enrollment', async () => {
    const before = Date.now();

    const reply = await send(server.url, 'POST', '/cse-in', {
      origin: 'Csensor-3',
      ty: 2,
      body: aeBody({ rn: 'sensor-3', et: '20991231T000000' }),
      signing: { keyid: 'enr:plant-7:1', key: km },
    });

    const et = parseTimestamp(reply.body['m2m:ae'].et) ?? 0;
    expect(reply.rsc).toBe(2001);
    expect(et - before).toBeGreaterThanOrEqual(3_600_000 - 1000);
    expect(et - before).toBeLessThanOrEqual(3_600_000 + 5000);
    expect(reply.body['m2m-registrar:cred'].ttl).toBeLessThanOrEqual(3600);
  });

  it('gives the default lifetime of the enrollment when et is absent', async () => {
    const before = Date.now();

    const reply = await send(server.url, 'POST', '/cse-in', {
      origin: 'Csensor-4',
      ty: 2,
      body: aeBody({ rn: 'sensor-4' }),
      signing: { keyid: 'enr:plant-7:1', key: km },
    });

    const et = parseTimestamp(reply.body['m2m:ae'].et) ?? 0;
    expect(et - before).toBeGreaterThanOrEqual(600_000 - 1000);
    expect(et - before).toBeLessThanOrEqual(600_000 + 5000);
  });

  it('refuses a disabled enrollment', async () => {
    await main(
      ['enrollment', 'disable', 'plant-7'],
      { M2M_DATA_DIR: dataDir },
      { stdout: () => undefined, stderr: () => undefined },
    );

    const reply = await send(server.url, 'POST', '/cse-in', {
      origin: 'Csensor-5',
      ty: 2,
      body: aeBody({ rn: 'sensor-5' }),
      signing: { keyid: 'enr:plant-7:1', key: km },
    });

    expectRefused(reply, /no active enrollment/);
  });
});

describe('signed mode never fails with 5xx', () => {
  it('logged no unexpected failure during this suite', () => {
    const levels = server.logs.map((line) => JSON.parse(line).level);

    expect(levels).toContain('warn');
    expect(levels).not.toContain('error');
  });
});
