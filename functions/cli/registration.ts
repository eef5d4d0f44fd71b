import { formatTimestamp } from '#registrar/onem2m/timestamp.ts';
import type { AuditRecord } from '#registrar/ports/audit.ts';
import { isExpired, type Registration } from '#registrar/registrar/model.ts';
import { withBackend as withRegistrar } from './backend.ts';
import {
  type CommandContext,
  CommandFailedError,
  type CommandGroup,
  integerOption,
  stringOption,
  table,
} from './command.ts';

/** One line of `registration list`. */
export interface RegistrationSummary {
  readonly aei: string;
  readonly rn: string;
  readonly api: string | undefined;
  /** `m2m:timestamp`, as on the wire. */
  readonly et: string;
  readonly expired: boolean;
}

/** What `registration show` prints: everything but the salt. */
export interface RegistrationView extends RegistrationSummary {
  readonly ct: string;
  readonly lt: string;
  readonly version: number;
  readonly generation: number;
  readonly enrollmentId: string | undefined;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** One record of `registration audit`. */
export interface AuditView {
  readonly aei: string;
  readonly action: string;
  readonly at: string;
  readonly actor: string;
  readonly requestId: string | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;
}

function summary(registration: Registration, now: number): RegistrationSummary {
  const api = registration.attributes.api;
  return {
    aei: registration.aei,
    rn: registration.rn,
    api: typeof api === 'string' ? api : undefined,
    et: formatTimestamp(registration.expiresAt),
    expired: isExpired(registration, now),
  };
}

function view(registration: Registration, now: number): RegistrationView {
  return {
    ...summary(registration, now),
    ct: formatTimestamp(registration.createdAt),
    lt: formatTimestamp(registration.modifiedAt),
    version: registration.version,
    generation: registration.generation,
    enrollmentId: registration.enrollmentId,
    attributes: registration.attributes,
  };
}

function auditView(record: AuditRecord): AuditView {
  return {
    aei: record.aei,
    action: record.action,
    at: formatTimestamp(record.at),
    actor: record.actor,
    requestId: record.requestId,
    details: record.details,
  };
}

function state(expired: boolean): string {
  return expired ? 'expired' : 'live';
}

async function list(context: CommandContext): Promise<undefined> {
  const page = {
    limit: integerOption(context.options, 'limit', 100),
    ...optionalAfter(stringOption(context.options, 'after')),
  };
  const now = Date.now();
  const registrations = await withRegistrar(context, ({ store }) =>
    store.list(page),
  );
  context.print(
    registrations.map((r) => summary(r, now)),
    (rows) =>
      rows.length === 0
        ? 'no registrations'
        : table([
            ['AEI', 'RN', 'API', 'ET', 'STATE'],
            ...rows.map((r) => [
              r.aei,
              r.rn,
              r.api ?? '',
              r.et,
              state(r.expired),
            ]),
          ]),
  );
  return undefined;
}

function optionalAfter(after: string | undefined): { after?: string } {
  return after === undefined ? {} : { after };
}

async function show(context: CommandContext): Promise<undefined> {
  const [aei = ''] = context.args;
  const registration = await withRegistrar(context, ({ store }) =>
    store.findByAei(aei),
  );
  if (registration === undefined) {
    throw new CommandFailedError(`no registration ${aei}`);
  }
  context.print(view(registration, Date.now()), (shown) =>
    [
      `aei:          ${shown.aei}`,
      `rn:           ${shown.rn}`,
      `state:        ${state(shown.expired)}`,
      `et:           ${shown.et}`,
      `ct:           ${shown.ct}`,
      `lt:           ${shown.lt}`,
      `version:      ${shown.version}`,
      `generation:   ${shown.generation}`,
      `enrollment:   ${shown.enrollmentId ?? '(none: open mode)'}`,
      `attributes:   ${JSON.stringify(shown.attributes)}`,
    ].join('\n'),
  );
  return undefined;
}

async function revoke(context: CommandContext): Promise<undefined> {
  const [aei = ''] = context.args;
  const revoked = await withRegistrar(context, ({ registrar }) =>
    registrar.revoke(aei, 'operator'),
  );
  if (!revoked) {
    throw new CommandFailedError(`no live registration ${aei}`);
  }
  context.print({ aei, revoked }, () => `revoked ${aei}`);
  return undefined;
}

async function audit(context: CommandContext): Promise<undefined> {
  const [aei = ''] = context.args;
  const records = await withRegistrar(context, ({ audit }) => audit.list(aei));
  context.print(records.map(auditView), (rows) =>
    rows.length === 0
      ? `no audit records for ${aei}`
      : table([
          ['AT', 'ACTION', 'ACTOR', 'REQUEST', 'DETAILS'],
          ...rows.map((r) => [
            r.at,
            r.action,
            r.actor,
            r.requestId ?? '',
            r.details === undefined ? '' : JSON.stringify(r.details),
          ]),
        ]),
  );
  return undefined;
}

/** `m2m-registrar registration ...`: the operator's view of registrations. */
export const registrationGroup: CommandGroup = {
  name: 'registration',
  summary: 'manages registrations',
  commands: [
    {
      name: 'list',
      summary: 'lists registrations in AE-ID order, expired ones included',
      options: { limit: { type: 'string' }, after: { type: 'string' } },
      details:
        '--limit N: at most N registrations (default 100, at most 1000).\n' +
        '--after AEI: start after this AE-ID (the next page).',
      run: list,
    },
    {
      name: 'show',
      summary: 'shows one registration',
      arguments: ['AEI'],
      run: show,
    },
    {
      name: 'revoke',
      summary: 'ends a registration as a Delete does (audited as revoked)',
      arguments: ['AEI'],
      run: revoke,
    },
    {
      name: 'audit',
      summary: 'lists the audit trail of an AE, oldest first',
      arguments: ['AEI'],
      run: audit,
    },
  ],
};
