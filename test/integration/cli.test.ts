import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '#registrar/local/runtime.ts';
import {
  m2m,
  register,
  removeDataDir,
  startRegistrar,
  temporaryDataDir,
} from './support/registrar.ts';

const bin = fileURLToPath(new URL('../../bin/m2m-registrar', import.meta.url));
const run = promisify(execFile);

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('m2m-registrar registration, beside a running server', () => {
  let dataDir: string;
  let runtime: LocalRuntime;

  async function cli(...args: string[]): Promise<CliResult> {
    const env = {
      ...process.env,
      M2M_DATA_DIR: dataDir,
      M2M_SKIP_INSTALL: '1',
    };
    try {
      const { stdout, stderr } = await run(bin, args, { env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return {
        code: failed.code,
        stdout: failed.stdout,
        stderr: failed.stderr,
      };
    }
  }

  beforeAll(async () => {
    dataDir = temporaryDataDir();
    runtime = await startRegistrar(dataDir);
    await register(runtime.url, { rn: 'first' }, 'Cfirst');
    await register(runtime.url, { rn: 'second' }, 'Csecond');
  });

  afterAll(async () => {
    await runtime.stop();
    removeDataDir(dataDir);
  });

  it('lists the registrations as JSON', async () => {
    const result = await cli('registration', 'list', '--json');

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      expect.objectContaining({ aei: 'Cfirst', rn: 'first', expired: false }),
      expect.objectContaining({ aei: 'Csecond', rn: 'second' }),
    ]);
  });

  it('shows one registration as JSON, without its salt', async () => {
    const result = await cli('registration', 'show', 'Cfirst', '--json');

    const shown = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(shown).toMatchObject({
      aei: 'Cfirst',
      rn: 'first',
      version: 1,
      attributes: expect.objectContaining({ api: 'Nlight-switch' }),
    });
    expect(result.stdout).not.toContain('salt');
  });

  it('exits 1 with a JSON error for an unknown AE', async () => {
    const result = await cli('registration', 'show', 'Cnobody', '--json');

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(JSON.parse(result.stderr)).toEqual({
      error: 'no registration Cnobody',
    });
  });

  it('revokes a registration the server then no longer serves', async () => {
    const result = await cli('registration', 'revoke', 'Csecond', '--json');
    const read = await m2m(runtime.url, 'GET', '/cse-in/second', {
      origin: 'Csecond',
    });

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      aei: 'Csecond',
      revoked: true,
    });
    expect(read.rsc).toBe(4004);
  });

  it('prints the audit trail as JSON', async () => {
    const result = await cli('registration', 'audit', 'Csecond', '--json');

    const records = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(records.map((r) => [r.action, r.actor])).toEqual([
      ['registered', 'Csecond'],
      ['revoked', 'operator'],
    ]);
  });
});
