import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '#registrar/cli/main.ts';
import { ROTATION_PATH } from '#registrar/security/rotation.ts';
import { aeBody, keyBytes, send } from './support.ts';

const bin = fileURLToPath(
  new URL('../../../bin/m2m-registrar', import.meta.url),
);

let dataDir: string;
let child: ChildProcess | undefined;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'm2m-no-secrets-'));
});

afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

/** Every spelling of `key` a log line or a file could hold. */
function spellings(key: Uint8Array): string[] {
  const bytes = Buffer.from(key);
  const base64 = bytes.toString('base64');
  return [
    bytes.toString('base64url'),
    base64,
    base64.replace(/=+$/, ''),
    bytes.toString('hex'),
    bytes.toString('hex').toUpperCase(),
  ];
}

function found(haystack: string | Buffer, keys: Uint8Array[]): string[] {
  const text = haystack.toString('latin1');
  const hits: string[] = [];
  for (const key of keys) {
    if (Buffer.isBuffer(haystack) && haystack.includes(Buffer.from(key))) {
      hits.push('raw bytes');
    }
    hits.push(...spellings(key).filter((spelling) => text.includes(spelling)));
  }
  return hits;
}

describe('secret material', () => {
  it('never reaches the server log nor the database', async () => {
    const server = spawn(bin, ['serve', '--port', '0', '--json'], {
      env: {
        ...process.env,
        M2M_DATA_DIR: dataDir,
        M2M_SECURITY: 'signed',
        M2M_LOG_LEVEL: 'debug',
        M2M_LOCKOUT_THRESHOLD: '2',
        M2M_LOCKOUT_DELAY_MS: '0',
        M2M_SKIP_INSTALL: '1',
      },
    });
    child = server;
    let stdout = '';
    let stderr = '';
    server.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    server.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    while (!/^\}/m.test(stdout)) {
      await once(server.stdout as NodeJS.ReadableStream, 'data');
    }
    const banner = JSON.parse(stdout);
    const url: string = banner.url;
    const km = keyBytes(banner.demoEnrollment.key);
    const wrong = new Uint8Array(32).fill(5);

    const registered = await send(url, 'POST', '/cse-in', {
      origin: 'Cmeter-1',
      ty: 2,
      body: aeBody({ rn: 'meter-1' }),
      signing: { keyid: 'enr:demo:1', key: km },
    });
    const ks0 = keyBytes(registered.body['m2m-registrar:cred'].key);
    await send(url, 'GET', '/cse-in/meter-1', {
      origin: 'Cmeter-1',
      signing: { keyid: 'reg:Cmeter-1:0', key: wrong },
    });
    const rotated = await send(url, 'POST', ROTATION_PATH, {
      origin: 'Cmeter-1',
      signing: { keyid: 'reg:Cmeter-1:0', key: ks0 },
    });
    const ks1 = keyBytes(rotated.body['m2m-registrar:cred'].key);
    await send(url, 'PUT', '/cse-in/meter-1', {
      origin: 'Cmeter-1',
      body: { 'm2m:ae': { lbl: ['x'] } },
      signing: { keyid: 'reg:Cmeter-1:1', key: ks1 },
    });
    for (let i = 0; i < 3; i += 1) {
      await send(url, 'POST', '/cse-in', {
        origin: 'Cmeter-2',
        ty: 2,
        body: aeBody(),
        signing: { keyid: 'enr:demo:1', key: wrong },
      });
    }
    await send(url, 'DELETE', '/cse-in/meter-1', {
      origin: 'Cmeter-1',
      signing: { keyid: 'reg:Cmeter-1:1', key: ks1 },
    });
    let operatorOut = '';
    await main(
      ['operator', 'credential', '--json'],
      { M2M_DATA_DIR: dataDir },
      { stdout: (text) => (operatorOut += text), stderr: () => undefined },
    );
    server.kill('SIGTERM');
    await once(server, 'exit');
    const keyFile = JSON.parse(
      readFileSync(join(dataDir, 'registrar.key'), 'utf8'),
    );
    const secrets = [
      keyBytes(keyFile.enrollment),
      keyBytes(keyFile.registration),
      km,
      ks0,
      ks1,
      keyBytes(JSON.parse(operatorOut).key),
    ];
    const database = ['registrar.db', 'registrar.db-wal']
      .map((name) => join(dataDir, name))
      .filter(existsSync)
      .map((path) => readFileSync(path));

    expect(registered.rsc).toBe(2001);
    expect(rotated.rsc).toBe(2004);
    expect(stderr).toMatch(/"message":"request handled"/);
    expect(stderr).toMatch(/enrollment locked after failed signatures/);
    expect(found(stdout, [km])).not.toEqual([]);
    expect(found(stderr, secrets)).toEqual([]);
    for (const content of database) {
      expect(found(content, secrets)).toEqual([]);
    }
  });
});
