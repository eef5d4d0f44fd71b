import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '#registrar/cli/main.ts';
import { ROTATION_PATH } from '#registrar/security/rotation.ts';
import {
  aeBody,
  keyBytes,
  type SignedServer,
  send,
  sleep,
  startSignedServer,
} from './support.ts';

let dataDir: string;
let server: SignedServer | undefined;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'm2m-security-lifecycle-'));
});

afterEach(async () => {
  await server?.runtime.stop();
  server = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  let out = '';
  await main(
    [...argv, '--json'],
    { M2M_DATA_DIR: dataDir },
    { stdout: (text) => (out += text), stderr: () => undefined },
  );
  return JSON.parse(out);
}

describe('the signed lifecycle over HTTP', () => {
  it('registers with Km, rotates Ks with a grace period, and deletes', async () => {
    server = await startSignedServer(dataDir, { M2M_ROTATION_GRACE_S: '1' });
    const { url } = server;
    const demo = server.runtime.demoEnrollment;
    const km = keyBytes(demo?.key ?? '');

    const registered = await send(url, 'POST', '/cse-in', {
      origin: 'Cmeter-1',
      ty: 2,
      body: aeBody({ rn: 'meter-1' }),
      signing: { keyid: 'enr:demo:1', key: km },
    });
    const cred = registered.body['m2m-registrar:cred'];
    const ks0 = keyBytes(cred.key);
    const retrieved = await send(url, 'GET', '/cse-in/meter-1', {
      origin: 'Cmeter-1',
      signing: { keyid: 'reg:Cmeter-1:0', key: ks0 },
    });
    const updated = await send(url, 'PUT', '/cse-in/meter-1', {
      origin: 'Cmeter-1',
      body: { 'm2m:ae': { lbl: ['floor-2'] } },
      signing: { keyid: 'reg:Cmeter-1:0', key: ks0 },
    });
    const rotated = await send(url, 'POST', ROTATION_PATH, {
      origin: 'Cmeter-1',
      signing: { keyid: 'reg:Cmeter-1:0', key: ks0 },
    });
    const next = rotated.body['m2m-registrar:cred'];
    const ks1 = keyBytes(next.key);
    const oldInGrace = await send(url, 'GET', '/cse-in/meter-1', {
      origin: 'Cmeter-1',
      signing: { keyid: 'reg:Cmeter-1:0', key: ks0 },
    });
    await sleep(1100);
    const oldAfterGrace = await send(url, 'GET', '/cse-in/meter-1', {
      origin: 'Cmeter-1',
      signing: { keyid: 'reg:Cmeter-1:0', key: ks0 },
    });
    const deleted = await send(url, 'DELETE', '/cse-in/meter-1', {
      origin: 'Cmeter-1',
      signing: { keyid: 'reg:Cmeter-1:1', key: ks1 },
    });
    const audit = await cli('registration', 'audit', 'Cmeter-1');

    expect(registered.rsc).toBe(2001);
    expect(cred).toMatchObject({
      kid: 'reg:Cmeter-1:0',
      alg: 'hmac-sha256',
      et: registered.body['m2m:ae'].et,
    });
    expect(ks0).toHaveLength(32);
    expect(retrieved.rsc).toBe(2000);
    expect(updated.rsc).toBe(2004);
    for (const reply of [retrieved, updated, deleted]) {
      expect(reply.text).not.toContain(cred.key);
      expect(reply.body?.['m2m-registrar:cred']).toBeUndefined();
    }
    expect(rotated.rsc).toBe(2004);
    expect(next).toMatchObject({ kid: 'reg:Cmeter-1:1', alg: 'hmac-sha256' });
    expect(next.key).not.toBe(cred.key);
    expect(oldInGrace.rsc).toBe(2000);
    expect(oldAfterGrace.rsc).toBe(4106);
    expect(oldAfterGrace.body['m2m:dbg']).toMatch(/retired credential/);
    expect(deleted.rsc).toBe(2002);
    expect(audit.map((record: { action: string }) => record.action)).toEqual([
      'registered',
      'updated',
      'rotated',
      'deleted',
    ]);
  });

  it('lets the operator read any AE with the operator credential', async () => {
    server = await startSignedServer(dataDir);
    const km = keyBytes(server.runtime.demoEnrollment?.key ?? '');
    await send(server.url, 'POST', '/cse-in', {
      origin: 'Cmeter-2',
      ty: 2,
      body: aeBody({ rn: 'meter-2' }),
      signing: { keyid: 'enr:demo:1', key: km },
    });
    const operator = await cli('operator', 'credential');

    const asOperator = await send(server.url, 'GET', '/cse-in/meter-2', {
      origin: 'CAdmin',
      signing: { keyid: operator.keyid, key: keyBytes(operator.key) },
    });
    const asSomeoneElse = await send(server.url, 'GET', '/cse-in/meter-2', {
      origin: 'Cmeter-2',
      signing: { keyid: operator.keyid, key: keyBytes(operator.key) },
    });

    expect(asOperator.rsc).toBe(2000);
    expect(asSomeoneElse.rsc).toBe(4106);
  });

  it('creates the demo enrollment on the first start only', async () => {
    server = await startSignedServer(dataDir);
    const first = server.runtime.demoEnrollment;
    await server.runtime.stop();

    server = await startSignedServer(dataDir);

    expect(first).toMatchObject({ enrollmentId: 'demo', keyid: 'enr:demo:1' });
    expect(server.runtime.demoEnrollment).toBeUndefined();
    expect(
      (await cli('enrollment', 'credential', 'demo')).masterCredential,
    ).toBe(first?.key);
  });
});

describe('the master-credential lockout over HTTP', () => {
  it('slows down, then locks one enrollment, then opens again', async () => {
    server = await startSignedServer(dataDir, {
      M2M_LOCKOUT_THRESHOLD: '2',
      M2M_LOCKOUT_S: '1',
      M2M_LOCKOUT_DELAY_MS: '300',
    });
    const { url } = server;
    const km = keyBytes(server.runtime.demoEnrollment?.key ?? '');
    const other = keyBytes(
      (await cli('enrollment', 'create', '--id', 'other')).masterCredential,
    );
    const attempt = (origin: string, keyid: string, key: Uint8Array) =>
      send(url, 'POST', '/cse-in', {
        origin,
        ty: 2,
        body: aeBody(),
        signing: { keyid, key },
      });
    const wrong = new Uint8Array(32).fill(7);

    const firstFailure = await attempt('Ca', 'enr:demo:1', wrong);
    const throttled = await attempt('Ca', 'enr:demo:1', km);
    await sleep(350);
    const secondFailure = await attempt('Ca', 'enr:demo:1', wrong);
    const locked = await attempt('Ca', 'enr:demo:1', km);
    const otherEnrollment = await attempt('Cb', 'enr:other:1', other);
    await sleep(1100);
    const reopened = await attempt('Cc', 'enr:demo:1', km);

    expect(firstFailure.body['m2m:dbg']).toMatch(/bad-signature/);
    expect(throttled.rsc).toBe(4106);
    expect(throttled.body['m2m:dbg']).toMatch(/throttled/);
    expect(secondFailure.body['m2m:dbg']).toMatch(/bad-signature/);
    expect(locked.rsc).toBe(4106);
    expect(locked.body['m2m:dbg']).toMatch(/locked/);
    expect(otherEnrollment.rsc).toBe(2001);
    expect(reopened.rsc).toBe(2001);
    expect(server.logs.join('')).toMatch(/enrollment locked after failed/);
  });
});
