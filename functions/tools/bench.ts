/**
 * `npm run bench`: registrations and signed retrieves per second, with
 * latencies, over HTTP on the embedded server.
 *
 * It starts its own registrar as a child process (`m2m-registrar serve`,
 * signed mode, 127.0.0.1, port 0, a temporary data folder with an
 * enrollment made for the run), lets `--aes N` AEs register with at most
 * `--concurrency C` requests in flight, then has each retrieve its `<AE>`
 * once, signed with its new secret. It stops by itself, when done or after
 * `--max-seconds`, stops the server and deletes the data folder.
 *
 * Options: `--aes N` (2000), `--concurrency C` (64), `--max-seconds S`
 * (120), `--warmup W` (0: registrations sent first and left out of the
 * figures), `--log-level L` of the server (warn), `--cpu-prof DIR` (write a
 * V8 CPU profile of the server into DIR), `--json`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { main } from '#registrar/cli/main.ts';
import { decodeKey } from '#registrar/client/credential-member.ts';
import type { Credential } from '#registrar/client/request.ts';
import { type LoadOptions, runLoad } from './bench-load.ts';
import { type BenchReport, formatReport, machine } from './bench-report.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cli = join(root, 'functions/cli/main.ts');
const ENROLLMENT_ID = 'bench';

/** A bench option that is not a positive whole number. */
class BenchUsageError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'BenchUsageError';
  }
}

interface BenchOptions extends LoadOptions {
  readonly logLevel: string;
  readonly cpuProfileDir: string | undefined;
  readonly json: boolean;
}

function positive(text: string | undefined, name: string, fallback: number) {
  if (text === undefined) {
    return fallback;
  }
  if (!/^[1-9]\d{0,6}$/.test(text)) {
    throw new BenchUsageError(`--${name}: expected a positive whole number`);
  }
  return Number(text);
}

function readOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      aes: { type: 'string' },
      concurrency: { type: 'string' },
      'max-seconds': { type: 'string' },
      warmup: { type: 'string' },
      'log-level': { type: 'string' },
      'cpu-prof': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  return {
    aes: positive(values.aes, 'aes', 2000),
    concurrency: positive(values.concurrency, 'concurrency', 64),
    maxSeconds: positive(values['max-seconds'], 'max-seconds', 120),
    warmup: values.warmup === '0' ? 0 : positive(values.warmup, 'warmup', 0),
    logLevel: values['log-level'] ?? 'warn',
    cpuProfileDir:
      values['cpu-prof'] === undefined
        ? undefined
        : resolve(values['cpu-prof']),
    json: values.json === true,
  };
}

/** Creates the run's enrollment on `dataDir`; returns its master credential. */
async function createEnrollment(dataDir: string): Promise<Credential> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    ['enrollment', 'create', '--id', ENROLLMENT_ID, '--json'],
    { ...process.env, M2M_DATA_DIR: dataDir, M2M_LOG_LEVEL: 'error' },
    { stdout: (text) => void out.push(text), stderr: (t) => void err.push(t) },
  );
  if (code !== 0) {
    throw new Error(`enrollment create failed: ${err.join('').trim()}`);
  }
  const created = JSON.parse(out.join('')) as {
    enrollment: { keyid: string };
    masterCredential: string;
  };
  const key = decodeKey(created.masterCredential);
  if (key === undefined) {
    throw new Error('enrollment create printed no usable master credential');
  }
  return { keyid: created.enrollment.keyid, key };
}

/** The server as a child process, and the URL it listens on. */
interface ChildServer {
  readonly url: string;
  readonly child: ChildProcess;
}

function startServer(dataDir: string, options: BenchOptions) {
  const profile =
    options.cpuProfileDir === undefined
      ? []
      : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`];
  const child = spawn(process.execPath, [...profile, cli, 'serve', '--json'], {
    env: {
      ...process.env,
      M2M_HOST: '127.0.0.1',
      M2M_PORT: '0',
      M2M_DATA_DIR: dataDir,
      M2M_SECURITY: 'signed',
      M2M_LOG_LEVEL: options.logLevel,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise<ChildServer>((resolveStart, reject) => {
    let banner = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      banner += chunk.toString();
      const match = /"url":\s*"(http:\/\/127\.0\.0\.1:\d+)"/.exec(banner);
      if (match?.[1] !== undefined) {
        resolveStart({ url: match[1], child });
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`the server exited at start (code ${code})`)),
    );
  });
}

/** Stops the server with SIGTERM (so a CPU profile gets written). */
function stopServer(server: ChildServer): Promise<void> {
  if (server.child.exitCode !== null) {
    return Promise.resolve();
  }
  return new Promise((done) => {
    const force = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
    server.child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    server.child.kill('SIGTERM');
  });
}

/** CPU seconds (user + system) the process `pid` has used so far. */
function cpuSecondsOf(pid: number | undefined): number {
  if (pid === undefined) {
    return 0;
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100;
}

async function bench(options: BenchOptions): Promise<BenchReport> {
  const dataDir = mkdtempSync(join(tmpdir(), 'm2m-bench-'));
  let server: ChildServer | undefined;
  try {
    const enrollment = await createEnrollment(dataDir);
    server = await startServer(dataDir, options);
    const serverCpuBefore = cpuSecondsOf(server.child.pid);
    const clientCpuBefore = process.cpuUsage();
    const pid = server.child.pid;
    const load = await runLoad(server.url, enrollment, options, () =>
      cpuSecondsOf(pid),
    );
    const clientCpu = process.cpuUsage(clientCpuBefore);
    return {
      options: {
        aes: options.aes,
        concurrency: options.concurrency,
        maxSeconds: options.maxSeconds,
        warmup: options.warmup,
        serverLogLevel: options.logLevel,
      },
      ...load,
      cpuSeconds: {
        server: cpuSecondsOf(server.child.pid) - serverCpuBefore,
        client: (clientCpu.user + clientCpu.system) / 1e6,
      },
      machine: machine(),
    };
  } finally {
    if (server !== undefined) {
      await stopServer(server);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function run(): Promise<number> {
  let options: BenchOptions;
  try {
    options = readOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n`);
    return 2;
  }
  const report = await bench(options);
  process.stdout.write(
    options.json
      ? `${JSON.stringify(report, null, 2)}\n`
      : formatReport(report),
  );
  const allOk =
    report.warmup.ok === options.warmup &&
    report.registrations.ok === options.aes &&
    report.retrieves.ok === options.aes;
  return allOk ? 0 : 1;
}

if (import.meta.main) {
  process.exitCode = await run();
}
