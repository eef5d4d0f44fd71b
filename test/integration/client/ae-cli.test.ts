import { execFile } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLocalSettings } from '#registrar/commons/settings.ts';
import { createJsonLogger } from '#registrar/local/logger.ts';
import {
  type LocalRuntime,
  startLocalRuntime,
} from '#registrar/local/runtime.ts';
import { readSecuritySettings } from '#registrar/security/security-settings.ts';

const bin = fileURLToPath(
  new URL('../../../bin/m2m-registrar', import.meta.url),
);
const run = promisify(execFile);

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `m2m-registrar ae ...` run as a real process against a signed registrar
 * this test starts (port 0, temporary data folder), with the demo
 * enrollment's master credential given through the environment.
 */
describe('m2m-registrar ae, against a signed registrar', () => {
  let dataDir: string;
  let workDir: string;
  let runtime: LocalRuntime;
  let masterCredential: string;
  let statePath: string;

  async function ae(
    args: string[],
    env: Record<string, string> = {},
  ): Promise<CliResult> {
    const childEnv = {
      ...process.env,
      M2M_SKIP_INSTALL: '1',
      M2M_MASTER_CREDENTIAL: masterCredential,
      ...env,
    };
    try {
      const { stdout, stderr } = await run(bin, ['ae', ...args], {
        env: childEnv,
        cwd: workDir,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as CliResult;
      return failed;
    }
  }

  function state(): Record<string, string> {
    return JSON.parse(readFileSync(statePath, 'utf8')) as Record<
      string,
      string
    >;
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'm2m-ae-cli-'));
    workDir = mkdtempSync(join(tmpdir(), 'm2m-ae-work-'));
    statePath = join(workDir, 'ae-state.json');
    const env = { M2M_PORT: '0', M2M_DATA_DIR: dataDir };
    runtime = await startLocalRuntime(readLocalSettings(env), {
      logger: createJsonLogger('error'),
      security: readSecuritySettings(env),
    });
    masterCredential = runtime.demoEnrollment?.key ?? '';
  });

  afterAll(async () => {
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(workDir, { recursive: true, force: true });
  });

  it('registers, keeps the secret in a 0600 state file, prints it masked', async () => {
    const result = await ae([
      'register',
      '--url',
      runtime.url,
      '--enrollment',
      'demo',
      '--rn',
      'lamp',
      '--api',
      'Nlamp',
      '--lifetime',
      '2h',
      '--json',
    ]);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const shown = JSON.parse(result.stdout) as Record<string, string>;
    const saved = state();
    expect(shown).toMatchObject({
      aei: saved.aei,
      rn: 'lamp',
      kid: `reg:${saved.aei}:0`,
      key: '<hidden: 43 characters>',
    });
    expect(saved.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.stdout).not.toContain(saved.key);
    expect(result.stdout).not.toContain(masterCredential);
    expect(statSync(statePath).mode & 0o777).toBe(0o600);
    expect(await runtime.store.findByAei(saved.aei ?? '')).toBeDefined();
  });

  it('retrieves the <AE> with a request signed by the secret', async () => {
    const result = await ae(['retrieve', '--json']);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).ae).toMatchObject({
      aei: state().aei,
      rn: 'lamp',
      api: 'Nlamp',
    });
  });

  it('updates labels, reachability and points of access', async () => {
    const result = await ae([
      'update',
      '--lbl',
      'kitchen,hall',
      '--rr',
      'true',
      '--poa',
      'http://127.0.0.1:9',
      '--json',
    ]);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).ae).toMatchObject({
      lbl: ['kitchen', 'hall'],
      rr: true,
      poa: ['http://127.0.0.1:9'],
    });
  });

  it('rotates the secret, saves the new one and signs with it', async () => {
    const before = state();

    const rotated = await ae(['rotate', '--json']);
    const retrieved = await ae(['retrieve', '--json']);

    expect(rotated.code).toBe(0);
    expect(JSON.parse(rotated.stdout).kid).toBe(`reg:${before.aei}:1`);
    expect(state().key).not.toBe(before.key);
    expect(rotated.stdout).not.toContain(state().key);
    expect(statSync(statePath).mode & 0o777).toBe(0o600);
    expect(retrieved.code).toBe(0);
  });

  it('refuses a state file that others can read', async () => {
    chmodSync(statePath, 0o644);

    const result = await ae(['retrieve']);

    chmodSync(statePath, 0o600);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/chmod 600/);
  });

  it('refuses to register over an existing state file', async () => {
    const result = await ae([
      'register',
      '--url',
      runtime.url,
      '--enrollment',
      'demo',
    ]);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/exists and may hold a registration/);
  });

  it('deletes the registration and removes the state file', async () => {
    const { aei = '' } = state();

    const result = await ae(['delete', '--json']);

    expect(result.code).toBe(0);
    expect(existsSync(statePath)).toBe(false);
    expect(await runtime.store.findByAei(aei)).toBeUndefined();
  });

  it('reports 4106 for a wrong master credential and leaves no state', async () => {
    const wrong = Buffer.alloc(32, 7).toString('base64url');

    const result = await ae(
      ['register', '--url', runtime.url, '--enrollment', 'demo'],
      { M2M_MASTER_CREDENTIAL: wrong },
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/answered 4106/);
    expect(result.stderr).not.toContain(wrong);
    expect(existsSync(statePath)).toBe(false);
  });
});
