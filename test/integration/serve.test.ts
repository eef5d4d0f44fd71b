import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { m2m, removeDataDir, temporaryDataDir } from './support/registrar.ts';

const bin = fileURLToPath(new URL('../../bin/m2m-registrar', import.meta.url));

/** A started `serve` and what it has printed so far. */
interface Serving {
  readonly child: ChildProcess;
  readonly output: { stdout: string; stderr: string };
}

/** Starts `m2m-registrar serve ARGS` on `dataDir`, signed unless told. */
function startServe(
  dataDir: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Serving {
  const child = spawn(bin, ['serve', ...args], {
    env: {
      ...process.env,
      M2M_DATA_DIR: dataDir,
      M2M_SKIP_INSTALL: '1',
      M2M_SECURITY: 'signed',
      ...env,
    },
  });
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (chunk: Buffer) => {
    output.stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output.stderr += chunk.toString();
  });
  return { child, output };
}

/** Waits until `serve` has printed `marker` on stdout. */
async function printed({ child, output }: Serving, marker: string) {
  while (!output.stdout.includes(marker)) {
    await once(child.stdout ?? child, 'data');
  }
  return output.stdout;
}

/** Stops a `serve` with SIGTERM; resolves with its exit code. */
async function stop({ child }: Serving): Promise<number> {
  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number];
  return code;
}

/** A loopback port held by another listener. */
async function busyPort(): Promise<{ blocker: Server; port: number }> {
  const blocker = createServer();
  await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
  const address = blocker.address();
  return {
    blocker,
    port: typeof address === 'object' ? (address?.port ?? 0) : 0,
  };
}

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

  it('refuses a busy port in one line naming M2M_PORT, creating no demo enrollment', async () => {
    const { blocker, port } = await busyPort();
    const refused = startServe(dataDir, [], { M2M_PORT: String(port) });
    const [code] = await once(refused.child, 'exit');
    blocker.close();

    const next = startServe(dataDir, ['--port', '0', '--json']);
    const banner = JSON.parse(await printed(next, '\n}')) as {
      demoEnrollment?: { keyid: string; key: string };
    };
    await stop(next);

    expect(code).toBe(1);
    expect(refused.output.stderr).toBe(
      `m2m-registrar: M2M_PORT ${port} is already in use on 127.0.0.1\n`,
    );
    expect(banner.demoEnrollment).toEqual({
      enrollmentId: 'demo',
      keyid: 'enr:demo:1',
      key: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
  });

  it('tells a later signed start how to show the demo credential, without the credential', async () => {
    const first = startServe(dataDir, ['--port', '0']);
    const firstText = await printed(first, 'Press Ctrl-C');
    await stop(first);
    const key = /credential \(base64url, keep it secret\): (\S+)/.exec(
      firstText,
    )?.[1];

    const second = startServe(dataDir, ['--port', '0']);
    const secondText = await printed(second, 'Press Ctrl-C');
    const code = await stop(second);

    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(secondText).not.toContain('First start');
    expect(secondText).toContain('m2m-registrar enrollment credential demo');
    expect(secondText).not.toContain(String(key));
    expect(code).toBe(0);
  });
});
