import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { m2m, removeDataDir, temporaryDataDir } from './support/registrar.ts';

const bin = fileURLToPath(new URL('../../bin/m2m-registrar', import.meta.url));

describe('m2m-registrar serve', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = temporaryDataDir();
  });

  afterEach(() => {
    removeDataDir(dataDir);
  });

  it('serves until SIGTERM, saying where, on which folder and that it runs open', async () => {
    const child = spawn(
      bin,
      ['serve', '--port', '0', '--security', 'open', '--json'],
      {
        env: { ...process.env, M2M_DATA_DIR: dataDir, M2M_SKIP_INSTALL: '1' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    while (!stdout.includes('}')) {
      await once(child.stdout, 'data');
    }
    const banner = JSON.parse(stdout) as Record<string, string>;

    const cseBase = await m2m(String(banner.url), 'GET', '/cse-in', {
      origin: 'Cany',
    });
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');

    expect(banner).toEqual({
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      dataDir,
      security: 'open',
    });
    expect(cseBase.rsc).toBe(2000);
    expect(stderr).toContain('running OPEN');
    expect(code).toBe(0);
  });
});
