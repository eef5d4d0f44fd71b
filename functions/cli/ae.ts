import { closeSync, openSync, rmSync } from 'node:fs';
import {
  type AeAttributes,
  AeClient,
  DEFAULT_BASE_URL,
  NotRegisteredError,
} from '#registrar/client/ae-client.ts';
import { decodeKey } from '#registrar/client/credential-member.ts';
import {
  RegistrarRejectedError,
  StateFileError,
  TransportError,
} from '#registrar/client/errors.ts';
import { maskSecret } from '#registrar/client/mask.ts';
import type { Credential } from '#registrar/client/request.ts';
import {
  type AeState,
  DEFAULT_STATE_FILE,
  identityOf,
  readStateFile,
  removeStateFile,
  stateOf,
  writeStateFile,
} from '#registrar/client/state-file.ts';
import {
  formatTimestamp,
  parseTimestamp,
} from '#registrar/onem2m/timestamp.ts';
import {
  type CommandContext,
  CommandFailedError,
  type CommandGroup,
  integerOption,
  stringOption,
  UsageError,
} from './command.ts';

/** Environment variable that may hold the master credential. */
export const MASTER_CREDENTIAL_VARIABLE = 'M2M_MASTER_CREDENTIAL';

/** Environment variable that may name the enrollment. */
export const ENROLLMENT_VARIABLE = 'M2M_ENROLLMENT';

/** Environment variable that may hold the registrar's URL. */
export const URL_VARIABLE = 'M2M_URL';

/** What `ae register` and `ae rotate` print: the secret stays masked. */
export interface AeCredentialView {
  readonly aei: string;
  readonly rn: string;
  readonly et: string;
  readonly kid: string | undefined;
  /** Always masked; the key itself is only in the state file. */
  readonly key: string | undefined;
  /** The state file that holds the key. */
  readonly state: string;
}

/** What `ae retrieve` and `ae update` print: the `<AE>` resource. */
export interface AeResourceView {
  readonly ae: AeAttributes;
  readonly state: string;
}

const stateOption = { state: { type: 'string' } } as const;
const lifetimeOptions = {
  et: { type: 'string' },
  lifetime: { type: 'string' },
  poa: { type: 'string' },
  lbl: { type: 'string' },
} as const;

const durationUnits: Readonly<Record<string, number>> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
};

/** `--lifetime` as seconds: `90`, `90s`, `15m`, `2h`, `7d`. */
export function parseDuration(text: string): number {
  const match = /^(\d{1,9})([smhd]?)$/.exec(text);
  if (match === null) {
    throw new UsageError(
      `--lifetime: expected a duration such as 90s, 15m, 2h or 7d, got "${text}"`,
    );
  }
  const [, amount = '0', unit = ''] = match;
  return Number(amount) * (durationUnits[unit] ?? 1);
}

function statePath(context: CommandContext): string {
  return stringOption(context.options, 'state') ?? DEFAULT_STATE_FILE;
}

function list(text: string | undefined): string[] | undefined {
  return text === undefined
    ? undefined
    : text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
}

/** `et` from `--et TS` or `--lifetime DUR`, or `undefined` for neither. */
function expiry(context: CommandContext): string | undefined {
  const et = stringOption(context.options, 'et');
  const lifetime = stringOption(context.options, 'lifetime');
  if (et !== undefined && lifetime !== undefined) {
    throw new UsageError('give --et or --lifetime, not both');
  }
  if (et !== undefined) {
    if (parseTimestamp(et) === undefined) {
      throw new UsageError(`--et: expected YYYYMMDDThhmmss, got "${et}"`);
    }
    return et;
  }
  return lifetime === undefined
    ? undefined
    : formatTimestamp(Date.now() + parseDuration(lifetime) * 1000);
}

function boolean(text: string | undefined, name: string) {
  if (text === undefined || text === 'true' || text === 'false') {
    return text === undefined ? undefined : text === 'true';
  }
  throw new UsageError(`--${name}: expected true or false, got "${text}"`);
}

/** Only the entries of `attributes` that have a value. */
function defined(attributes: Record<string, unknown>): AeAttributes {
  return Object.fromEntries(
    Object.entries(attributes).filter(([, value]) => value !== undefined),
  );
}

function masterCredential(context: CommandContext): Credential {
  const enrollment =
    stringOption(context.options, 'enrollment') ??
    context.env[ENROLLMENT_VARIABLE];
  if (enrollment === undefined || enrollment === '') {
    throw new UsageError(
      `--enrollment ID (or ${ENROLLMENT_VARIABLE}) is needed`,
    );
  }
  const text =
    stringOption(context.options, 'credential') ??
    context.env[MASTER_CREDENTIAL_VARIABLE];
  if (text === undefined || text === '') {
    throw new UsageError(
      `--credential B64URL (or ${MASTER_CREDENTIAL_VARIABLE}) is needed`,
    );
  }
  const key = decodeKey(text.trim());
  if (key === undefined) {
    throw new UsageError('the master credential is not 32 bytes in base64url');
  }
  const version = integerOption(context.options, 'key-version', 1);
  return { keyid: `enr:${enrollment}:${version}`, key };
}

function registerAttributes(context: CommandContext): AeAttributes {
  const poa = list(stringOption(context.options, 'poa'));
  return defined({
    rn: stringOption(context.options, 'rn'),
    api: stringOption(context.options, 'api') ?? 'Nm2m-registrar-cli',
    rr: boolean(stringOption(context.options, 'rr'), 'rr') ?? poa !== undefined,
    srv: ['4'],
    poa,
    lbl: list(stringOption(context.options, 'lbl')),
    et: expiry(context),
  });
}

function updateAttributes(context: CommandContext): AeAttributes {
  const changes = defined({
    lbl: list(stringOption(context.options, 'lbl')),
    poa: list(stringOption(context.options, 'poa')),
    rr: boolean(stringOption(context.options, 'rr'), 'rr'),
    et: expiry(context),
  });
  if (Object.keys(changes).length === 0) {
    throw new UsageError('nothing to update: give --lbl, --poa, --rr or --et');
  }
  return changes;
}

/**
 * Creates the state file empty, mode 0600, failing when it exists, so that
 * a registration never overwrites the secret of another one.
 */
function reserveStateFile(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CommandFailedError(
        `${path} exists and may hold a registration; ` +
          'delete that AE first or pass another --state',
      );
    }
    throw error;
  }
}

/**
 * Writes the state file after the registrar has handed out a secret; a
 * failure then says what it means for the registration.
 */
function saveState(path: string, state: AeState, consequence: string): void {
  try {
    writeStateFile(path, state);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new CommandFailedError(
      `could not write ${path} (${code}): ${consequence}`,
    );
  }
}

/** Runs `work`, turning the client's failures into command failures. */
async function clientCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RegistrarRejectedError) {
      throw new CommandFailedError(
        `the registrar answered ${error.rsc} (HTTP ${error.status})` +
          (error.dbg === undefined ? '' : `: ${error.dbg}`),
      );
    }
    if (
      error instanceof TransportError ||
      error instanceof StateFileError ||
      error instanceof NotRegisteredError
    ) {
      throw new CommandFailedError(error.message);
    }
    throw error;
  }
}

function clientFor(state: AeState): AeClient {
  return new AeClient({
    baseUrl: state.baseUrl,
    cseRn: state.cseRn,
    identity: identityOf(state),
  });
}

function loadState(context: CommandContext): {
  path: string;
  state: AeState;
} {
  const path = statePath(context);
  try {
    return { path, state: readStateFile(path) };
  } catch (error) {
    if (error instanceof StateFileError) {
      throw new CommandFailedError(error.message);
    }
    throw error;
  }
}

function credentialView(state: AeState, path: string): AeCredentialView {
  return {
    aei: state.aei,
    rn: state.rn,
    et: state.et,
    kid: state.kid,
    key: state.key === undefined ? undefined : maskSecret(state.key),
    state: path,
  };
}

function showCredential(view: AeCredentialView): string {
  return [
    `aei:    ${view.aei}`,
    `rn:     ${view.rn}`,
    `et:     ${view.et}`,
    `keyid:  ${view.kid ?? '(none: the registrar runs open)'}`,
    `key:    ${view.key ?? '(none)'}`,
    `state:  ${view.state} (holds the key; mode 0600)`,
  ].join('\n');
}

function showResource(view: AeResourceView): string {
  return Object.entries(view.ae)
    .map(([name, value]) => `${`${name}:`.padEnd(6)} ${JSON.stringify(value)}`)
    .join('\n');
}

async function register(context: CommandContext): Promise<undefined> {
  const path = statePath(context);
  const enrollment = masterCredential(context);
  const attributes = registerAttributes(context);
  const originator = stringOption(context.options, 'originator');
  const client = new AeClient({
    baseUrl:
      stringOption(context.options, 'url') ??
      context.env[URL_VARIABLE] ??
      DEFAULT_BASE_URL,
    cseRn: stringOption(context.options, 'cse-rn') ?? 'cse-in',
  });
  reserveStateFile(path);
  try {
    await clientCall(() =>
      client.register(attributes, {
        enrollment,
        ...(originator === undefined ? {} : { originator }),
      }),
    );
  } catch (error) {
    rmSync(path, { force: true });
    throw error;
  }
  const state = stateOf(
    client.baseUrl,
    stringOption(context.options, 'cse-rn') ?? 'cse-in',
    client.identity as NonNullable<AeClient['identity']>,
  );
  saveState(
    path,
    state,
    `registered ${state.aei}, but its secret is lost; an operator can ` +
      `end it with: m2m-registrar registration revoke ${state.aei}`,
  );
  context.print(credentialView(state, path), showCredential);
  return undefined;
}

async function retrieve(context: CommandContext): Promise<undefined> {
  const { path, state } = loadState(context);
  const { ae } = await clientCall(() => clientFor(state).retrieve());
  context.print({ ae, state: path }, showResource);
  return undefined;
}

async function update(context: CommandContext): Promise<undefined> {
  const changes = updateAttributes(context);
  const { path, state } = loadState(context);
  const client = clientFor(state);
  const { ae } = await clientCall(() => client.update(changes));
  if (client.identity !== undefined && client.identity.et !== state.et) {
    writeStateFile(path, { ...state, et: client.identity.et });
  }
  context.print({ ae, state: path }, showResource);
  return undefined;
}

async function rotate(context: CommandContext): Promise<undefined> {
  const { path, state } = loadState(context);
  const client = clientFor(state);
  await clientCall(() => client.rotate());
  const rotated = stateOf(
    state.baseUrl,
    state.cseRn,
    client.identity as NonNullable<AeClient['identity']>,
  );
  saveState(
    path,
    rotated,
    'rotated, but the new secret is lost; the previous one works only ' +
      'for the grace period',
  );
  context.print(credentialView(rotated, path), showCredential);
  return undefined;
}

async function remove(context: CommandContext): Promise<undefined> {
  const { path, state } = loadState(context);
  await clientCall(() => clientFor(state).delete());
  removeStateFile(path);
  context.print(
    { aei: state.aei, deleted: true, state: path },
    () => `deleted ${state.aei}; removed ${path}`,
  );
  return undefined;
}

const stateDetails = `--state FILE: the AE's state file (default ${DEFAULT_STATE_FILE}).`;

/** `m2m-registrar ae ...`: the AE side, against a registrar over HTTP. */
export const aeGroup: CommandGroup = {
  name: 'ae',
  summary: 'acts as an AE: register, retrieve, update, rotate, delete',
  commands: [
    {
      name: 'register',
      summary: 'registers an AE with a master credential; saves its state',
      options: {
        ...stateOption,
        ...lifetimeOptions,
        url: { type: 'string' },
        'cse-rn': { type: 'string' },
        enrollment: { type: 'string' },
        credential: { type: 'string' },
        'key-version': { type: 'string' },
        originator: { type: 'string' },
        rn: { type: 'string' },
        api: { type: 'string' },
        rr: { type: 'string' },
      },
      details: [
        `--url URL: the registrar (default ${URL_VARIABLE}, else ${DEFAULT_BASE_URL}).`,
        `--enrollment ID (or ${ENROLLMENT_VARIABLE}), --key-version N (default 1).`,
        `--credential B64URL: the master credential; prefer ${MASTER_CREDENTIAL_VARIABLE}`,
        '  so that it stays out of the shell history.',
        '--originator C|S|C<stem>: X-M2M-Origin (default none: the CSE picks).',
        '--rn NAME, --api APPID (default Nm2m-registrar-cli), --lbl a,b.',
        '--et YYYYMMDDThhmmss or --lifetime 90s|15m|2h|7d.',
        '--poa URL,... (rr defaults to true with a poa), --rr true|false.',
        `${stateDetails} Refuses an existing file.`,
        'The registration secret goes to the state file only (mode 0600);',
        'output shows it masked.',
      ].join('\n'),
      run: register,
    },
    {
      name: 'retrieve',
      summary: "reads the AE's <AE> resource, signed with its secret",
      options: stateOption,
      details: stateDetails,
      run: retrieve,
    },
    {
      name: 'update',
      summary: 'changes lbl, poa, rr or et of the <AE>',
      options: { ...stateOption, ...lifetimeOptions, rr: { type: 'string' } },
      details: [
        '--lbl a,b  --poa URL,...  --rr true|false',
        '--et YYYYMMDDThhmmss or --lifetime 90s|15m|2h|7d (from now).',
        stateDetails,
      ].join('\n'),
      run: update,
    },
    {
      name: 'rotate',
      summary: 'gets a new registration secret; saves it in the state file',
      options: stateOption,
      details: `${stateDetails} The previous secret works for a grace period.`,
      run: rotate,
    },
    {
      name: 'delete',
      summary: 'deletes the <AE> (ends the registration); removes the state',
      options: stateOption,
      details: stateDetails,
      run: remove,
    },
  ],
};
