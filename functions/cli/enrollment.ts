import { formatTimestamp } from '#registrar/onem2m/timestamp.ts';
import {
  type Enrollment,
  EnrollmentExistsError,
} from '#registrar/ports/enrollments.ts';
import {
  EnrollmentInputError,
  type MasterCredential,
  masterCredentialOf,
  newEnrollment,
} from '#registrar/security/enrollments.ts';
import { enrollmentKeyId } from '#registrar/security/keyid.ts';
import { type OperatorSecurity, withBackend } from './backend.ts';
import {
  type CommandContext,
  CommandFailedError,
  type CommandGroup,
  stringOption,
  table,
  UsageError,
} from './command.ts';

/** What `enrollment show` and `list --json` print for one enrollment. */
export interface EnrollmentView {
  readonly id: string;
  readonly state: string;
  readonly keyid: string;
  readonly keyVersion: number;
  readonly originators: readonly string[];
  readonly apps: readonly string[];
  readonly defaultLifetimeS: number;
  readonly maxLifetimeS: number;
  readonly targets: readonly string[];
  /** `m2m:timestamp`. */
  readonly createdAt: string;
}

/** What `enrollment create` and `credential` print. */
export interface CredentialView {
  readonly enrollment: EnrollmentView;
  /** `Km`, base64url: secret, for the AE's bootstrap only. */
  readonly masterCredential: string;
}

const units: Readonly<Record<string, number>> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
};

/**
 * Seconds in a duration such as `90s`, `15m`, `2h`, `7d` (a bare number is
 * seconds).
 *
 * @throws {UsageError} anything else.
 */
export function parseDuration(option: string, text: string): number {
  const match = /^(\d{1,9})([smhd]?)$/.exec(text);
  if (!match) {
    throw new UsageError(
      `--${option}: expected a duration such as 90s, 15m, 2h or 7d`,
    );
  }
  return Number(match[1]) * (units[match[2] || 's'] ?? 1);
}

function listOption(context: CommandContext, name: string) {
  const text = stringOption(context.options, name);
  return text
    ?.split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

function durationOption(
  context: CommandContext,
  name: string,
  fallback: number,
): number {
  const text = stringOption(context.options, name);
  return text === undefined ? fallback : parseDuration(name, text);
}

/**
 * Runs `work` on the enrollments and key derivation of the backend the
 * settings point at: the data folder's key file, or the stack's KMS root.
 */
function withSecurity<T>(
  context: CommandContext,
  work: (security: OperatorSecurity) => Promise<T>,
): Promise<T> {
  return withBackend(context, (backend) => work(backend.security()));
}

function view(enrollment: Enrollment): EnrollmentView {
  return {
    id: enrollment.id,
    state: enrollment.state,
    keyid: enrollmentKeyId(enrollment.id, enrollment.keyVersion),
    keyVersion: enrollment.keyVersion,
    originators: enrollment.originators,
    apps: enrollment.apps,
    defaultLifetimeS: enrollment.defaultLifetimeS,
    maxLifetimeS: enrollment.maxLifetimeS,
    targets: enrollment.targets,
    createdAt: formatTimestamp(enrollment.createdAt),
  };
}

function describe(shown: EnrollmentView): string {
  return [
    `id:               ${shown.id}`,
    `state:            ${shown.state}`,
    `keyid:            ${shown.keyid}`,
    `originators:      ${shown.originators.join(',')}`,
    `apps:             ${shown.apps.join(',')}`,
    `default lifetime: ${shown.defaultLifetimeS}s`,
    `max lifetime:     ${shown.maxLifetimeS}s`,
    `targets:          ${shown.targets.join(',') || '(none)'}`,
    `created:          ${shown.createdAt}`,
  ].join('\n');
}

function describeCredential(shown: CredentialView): string {
  return [
    describe(shown.enrollment),
    `master credential (base64url, secret): ${shown.masterCredential}`,
  ].join('\n');
}

function credentialView(
  enrollment: Enrollment,
  credential: MasterCredential,
): CredentialView {
  return { enrollment: view(enrollment), masterCredential: credential.key };
}

async function create(context: CommandContext): Promise<undefined> {
  const id = stringOption(context.options, 'id');
  if (id === undefined) {
    throw new UsageError('--id is required');
  }
  const settings = context.settings();
  const created = await withSecurity(context, async (security) => {
    const enrollment = newEnrollment(
      {
        id,
        originators: listOption(context, 'originators'),
        apps: listOption(context, 'apps'),
        targets: listOption(context, 'targets'),
        defaultLifetimeS: durationOption(
          context,
          'default-lifetime',
          settings.defaultLifetimeS,
        ),
        maxLifetimeS: durationOption(
          context,
          'max-lifetime',
          settings.maxLifetimeS,
        ),
      },
      Date.now(),
    );
    await security.enrollments.insert(enrollment);
    const credential = await masterCredentialOf(
      security.derivation,
      enrollment,
    );
    return credentialView(enrollment, credential);
  }).catch(explain);
  context.print(created, describeCredential);
  return undefined;
}

/** Turns the store's and the validator's errors into command failures. */
function explain(error: unknown): never {
  if (error instanceof EnrollmentInputError) {
    throw new UsageError(error.message);
  }
  if (error instanceof EnrollmentExistsError) {
    throw new CommandFailedError(`enrollment ${error.id} exists`);
  }
  throw error;
}

async function list(context: CommandContext): Promise<undefined> {
  const enrollments = await withSecurity(context, ({ enrollments }) =>
    enrollments.list(),
  );
  context.print(enrollments.map(view), (rows) =>
    rows.length === 0
      ? 'no enrollments'
      : table([
          ['ID', 'STATE', 'KEYID', 'ORIGINATORS', 'APPS'],
          ...rows.map((row) => [
            row.id,
            row.state,
            row.keyid,
            row.originators.join(','),
            row.apps.join(','),
          ]),
        ]),
  );
  return undefined;
}

async function found(
  security: OperatorSecurity,
  id: string,
): Promise<Enrollment> {
  const enrollment = await security.enrollments.find(id);
  if (enrollment === undefined) {
    throw new CommandFailedError(`no enrollment ${id}`);
  }
  return enrollment;
}

async function show(context: CommandContext): Promise<undefined> {
  const [id = ''] = context.args;
  const enrollment = await withSecurity(context, (security) =>
    found(security, id),
  );
  context.print(view(enrollment), describe);
  return undefined;
}

async function disable(context: CommandContext): Promise<undefined> {
  const [id = ''] = context.args;
  const disabled = await withSecurity(context, async (security) => {
    const enrollment = await found(security, id);
    const changed: Enrollment = { ...enrollment, state: 'disabled' };
    await security.enrollments.replace(changed);
    return changed;
  });
  context.print(view(disabled), () => `disabled enrollment ${id}`);
  return undefined;
}

async function rekey(context: CommandContext): Promise<undefined> {
  const [id = ''] = context.args;
  const rekeyed = await withSecurity(context, async (security) => {
    const enrollment = await found(security, id);
    const changed = { ...enrollment, keyVersion: enrollment.keyVersion + 1 };
    await security.enrollments.replace(changed);
    const credential = await masterCredentialOf(security.derivation, changed);
    return credentialView(changed, credential);
  });
  context.print(rekeyed, describeCredential);
  return undefined;
}

async function credential(context: CommandContext): Promise<undefined> {
  const [id = ''] = context.args;
  const shown = await withSecurity(context, async (security) => {
    const enrollment = await found(security, id);
    const derived = await masterCredentialOf(security.derivation, enrollment);
    return credentialView(enrollment, derived);
  });
  context.print(shown, describeCredential);
  return undefined;
}

/** `m2m-registrar enrollment ...`: the operator's enrollments. */
export const enrollmentGroup: CommandGroup = {
  name: 'enrollment',
  summary: 'manages enrollments (who may register, with which credential)',
  commands: [
    {
      name: 'create',
      summary: 'creates an enrollment; prints its keyid and master credential',
      options: {
        id: { type: 'string' },
        originators: { type: 'string' },
        apps: { type: 'string' },
        'default-lifetime': { type: 'string' },
        'max-lifetime': { type: 'string' },
        targets: { type: 'string' },
      },
      details:
        '--id ID: letters, digits and ._~- (required).\n' +
        '--originators PAT,...: originators that may register; * is a ' +
        'wildcard (default *).\n' +
        '--apps PAT,...: App-IDs that may register (default *).\n' +
        '--default-lifetime DUR, --max-lifetime DUR: 90s, 15m, 2h, 7d ' +
        '(default M2M_DEFAULT_LIFETIME_S, M2M_MAX_LIFETIME_S).\n' +
        '--targets CSE-ID,...: target CSEs for tokens (default none).',
      run: create,
    },
    {
      name: 'list',
      summary: 'lists enrollments in id order',
      run: list,
    },
    {
      name: 'show',
      summary: 'shows one enrollment (never its credential)',
      arguments: ['ID'],
      run: show,
    },
    {
      name: 'disable',
      summary: 'stops an enrollment from registering anything new',
      arguments: ['ID'],
      run: disable,
    },
    {
      name: 'rekey',
      summary: 'moves an enrollment to its next key version; prints it',
      arguments: ['ID'],
      details: 'The previous master credential stops working at once.',
      run: rekey,
    },
    {
      name: 'credential',
      summary: 'derives and prints the master credential again',
      arguments: ['ID'],
      run: credential,
    },
  ],
};
