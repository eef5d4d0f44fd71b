/**
 * `npm run demo`: one AE's whole session against a running registrar,
 * printing every HTTP exchange with secrets masked.
 *
 * Steps: register (signed with the enrollment's master credential),
 * retrieve and update (signed with the registration secret), rotate the
 * secret, retrieve with the new one, delete.
 *
 * Where things come from:
 * - the registrar: `--url URL`, else `M2M_URL`, else http://127.0.0.1:8080;
 * - the enrollment: `M2M_ENROLLMENT` (default `demo`, the enrollment a
 *   first start in signed mode creates);
 * - its master credential: `M2M_MASTER_CREDENTIAL`, else derived as
 *   `m2m-registrar enrollment credential <id>` does, from the data folder
 *   `--data-dir DIR`, else `M2M_DATA_DIR`, else `./.data` (the server's).
 */
import { parseArgs } from 'node:util';
import { main } from '#registrar/cli/main.ts';
import { AeClient, DEFAULT_BASE_URL } from '#registrar/client/ae-client.ts';
import { decodeKey } from '#registrar/client/credential-member.ts';
import {
  RegistrarRejectedError,
  TransportError,
} from '#registrar/client/errors.ts';
import type { Credential } from '#registrar/client/request.ts';
import { formatTimestamp } from '#registrar/onem2m/timestamp.ts';
import { formatExchange } from './print-exchange.ts';

const write = (text: string) => void process.stdout.write(text);

/** A failure that ends the demo with a message and exit code 1. */
class DemoError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'DemoError';
  }
}

function heading(step: string): void {
  write(`\n=== ${step} ${'='.repeat(Math.max(0, 72 - step.length))}\n\n`);
}

/** A master credential as text, with its enrollment's key version. */
interface MasterCredentialText {
  readonly text: string;
  readonly keyVersion: number;
}

/**
 * The master credential from `M2M_MASTER_CREDENTIAL` (key version from
 * `M2M_KEY_VERSION`, default 1), or from the `enrollment credential`
 * command run in this process on the data folder.
 */
async function masterCredential(
  enrollmentId: string,
  dataDir: string | undefined,
): Promise<Credential> {
  const given = process.env.M2M_MASTER_CREDENTIAL;
  const found: MasterCredentialText =
    given === undefined
      ? await deriveFromDataFolder(enrollmentId, dataDir)
      : { text: given, keyVersion: Number(process.env.M2M_KEY_VERSION ?? 1) };
  const key = decodeKey(found.text);
  if (key === undefined) {
    throw new DemoError('the master credential is not 32 bytes in base64url');
  }
  return { keyid: `enr:${enrollmentId}:${found.keyVersion}`, key };
}

async function deriveFromDataFolder(
  enrollmentId: string,
  dataDir: string | undefined,
): Promise<MasterCredentialText> {
  const out: string[] = [];
  const err: string[] = [];
  const env = { ...process.env, M2M_LOG_LEVEL: 'error' };
  const argv = ['enrollment', 'credential', enrollmentId, '--json'];
  const code = await main(
    dataDir === undefined ? argv : [...argv, '--data-dir', dataDir],
    env,
    { stdout: (text) => void out.push(text), stderr: (t) => void err.push(t) },
  );
  if (code !== 0) {
    throw new DemoError(
      `could not derive the master credential of "${enrollmentId}" ` +
        `(${err.join('').trim()}); start the server in signed mode ` +
        'first, or set M2M_MASTER_CREDENTIAL and M2M_ENROLLMENT',
    );
  }
  const shown = JSON.parse(out.join('')) as {
    enrollment: { keyVersion: number };
    masterCredential: string;
  };
  return {
    text: shown.masterCredential,
    keyVersion: shown.enrollment.keyVersion,
  };
}

async function session(baseUrl: string, enrollment: Credential) {
  const ae = new AeClient({
    baseUrl,
    onExchange: (request, response) => write(formatExchange(request, response)),
  });
  heading('1. register: Create <AE>, signed with the master credential');
  await ae.register(
    {
      rn: `demo-${Date.now().toString(36)}`,
      api: 'Ndemo',
      rr: false,
      srv: ['4'],
    },
    { enrollment },
  );
  heading('2. retrieve, signed with the registration secret');
  await ae.retrieve();
  heading('3. update: labels and a new expiry');
  await ae.update({
    lbl: ['demo', 'kitchen'],
    et: formatTimestamp(Date.now() + 2 * 3600_000),
  });
  heading('4. rotate the registration secret');
  await ae.rotate();
  heading('5. retrieve, signed with the new secret');
  await ae.retrieve();
  heading('6. delete: the registration ends');
  await ae.delete();
  write('\nDone: every request above was signed (label m2m, HMAC-SHA256).\n');
}

async function run(): Promise<number> {
  const { values } = parseArgs({
    options: { url: { type: 'string' }, 'data-dir': { type: 'string' } },
  });
  const baseUrl = values.url ?? process.env.M2M_URL ?? DEFAULT_BASE_URL;
  const enrollmentId = process.env.M2M_ENROLLMENT ?? 'demo';
  try {
    const enrollment = await masterCredential(enrollmentId, values['data-dir']);
    write(`Registrar ${baseUrl}, enrollment ${enrollment.keyid}\n`);
    await session(baseUrl, enrollment);
    return 0;
  } catch (error) {
    if (error instanceof DemoError || error instanceof RegistrarRejectedError) {
      process.stderr.write(`demo: ${error.message}\n`);
      return 1;
    }
    if (error instanceof TransportError) {
      process.stderr.write(
        `demo: ${error.message}; is the registrar running at ${baseUrl}?\n`,
      );
      return 1;
    }
    throw error;
  }
}

if (import.meta.main) {
  process.exitCode = await run();
}
