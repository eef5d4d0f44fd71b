import {
  BadRequestError,
  ContentsUnacceptableError,
} from '#registrar/onem2m/errors.ts';
import { parseTimestamp } from '#registrar/onem2m/timestamp.ts';

/**
 * The `<AE>` attribute table of onem2m.md section 3, and the validation of
 * Create and Update content against it.
 *
 * Every failure is `4000` with a message naming the attribute; values are
 * never echoed (a `poa` must not appear in a response or a log).
 */

type Presence = 'mandatory' | 'optional' | 'notPermitted';

interface AttributeRule {
  readonly create: Presence;
  readonly update: Presence;
  /** Whether `null` in an Update removes it (optional attributes only). */
  readonly deletable: boolean;
  /** `undefined` when `value` fits, else what is wrong with it. */
  readonly check: (value: unknown, release: string) => string | undefined;
}

/** Largest number of entries in a list attribute. */
const MAX_LIST = 64;
/** Longest string value, in characters. */
const MAX_TEXT = 2048;
/** Longest App-ID, in characters. */
const MAX_APP_ID = 256;

const unreserved = /^[A-Za-z0-9._~-]+$/;

const CONTENT_SERIALIZATIONS: readonly string[] = [
  'application/json',
  'application/vnd.onem2m-res+json',
  'application/cbor',
  'application/vnd.onem2m-res+cbor',
];

const cseOwned: AttributeRule = {
  create: 'notPermitted',
  update: 'notPermitted',
  deletable: false,
  check: () => undefined,
};

function optional(
  check: AttributeRule['check'],
  create: Presence = 'optional',
): AttributeRule {
  return { create, update: 'optional', deletable: true, check };
}

const text: AttributeRule['check'] = (value) => {
  if (typeof value !== 'string') {
    return 'must be a string';
  }
  return value.length <= MAX_TEXT
    ? undefined
    : `must be at most ${MAX_TEXT} characters`;
};

const boolean: AttributeRule['check'] = (value) =>
  typeof value === 'boolean' ? undefined : 'must be a boolean';

const stringList: AttributeRule['check'] = (value) => {
  if (
    !Array.isArray(value) ||
    !value.every((entry) => typeof entry === 'string')
  ) {
    return 'must be a list of strings';
  }
  if (value.length > MAX_LIST) {
    return `must be a list of at most ${MAX_LIST} strings`;
  }
  return value.every((entry: string) => entry.length <= MAX_TEXT)
    ? undefined
    : `must hold strings of at most ${MAX_TEXT} characters`;
};

const nonEmptyStringList: AttributeRule['check'] = (value, release) =>
  stringList(value, release) ??
  ((value as unknown[]).length > 0 ? undefined : 'must not be empty');

const object: AttributeRule['check'] = (value) =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? undefined
    : 'must be an object';

/**
 * **choice**: `rn` is limited to 64 unreserved characters, and `.` and
 * `..` are refused, since path normalisation in proxies would rewrite them.
 */
const resourceName: AttributeRule['check'] = (value) => {
  if (typeof value !== 'string' || !/^[A-Za-z0-9._~-]{1,64}$/.test(value)) {
    return 'must be 1 to 64 RFC 3986 unreserved characters';
  }
  return value === '.' || value === '..' ? 'must not be . or ..' : undefined;
};

const timestamp: AttributeRule['check'] = (value) =>
  typeof value === 'string' && parseTimestamp(value) !== undefined
    ? undefined
    : 'must be an m2m:timestamp (YYYYMMDDThhmmss[,ffffff])';

/**
 * App-ID: `N` then anything, or `R` then at least three dot-separated
 * parts; lower-case `r` only in releases 2a and 3.
 *
 * **choice**: the characters are limited to RFC 3986 unreserved ones, so
 * that an App-ID is safe in logs, audit records and policy patterns.
 */
const appId: AttributeRule['check'] = (value, release) => {
  if (typeof value !== 'string') {
    return 'must be a string';
  }
  if (value.length > MAX_APP_ID) {
    return `must be at most ${MAX_APP_ID} characters`;
  }
  const [first] = value;
  const rest = value.slice(1);
  if (rest === '' || !unreserved.test(rest)) {
    return 'must be N or R followed by unreserved characters';
  }
  if (first === 'N') {
    return undefined;
  }
  const oldRelease = release === '2a' || release === '3';
  if (first !== 'R' && !(first === 'r' && oldRelease)) {
    return oldRelease
      ? 'must start with N, R or r'
      : 'must start with N or R (r only in releases 2a and 3)';
  }
  const parts = rest.split('.');
  return parts.length >= 3 && parts.every((part) => part !== '')
    ? undefined
    : 'a registered App-ID needs at least three dot-separated parts';
};

/**
 * Whether `value` is an App-ID that Create validation accepts in release
 * `release`, so that the policy can judge it before validation runs.
 */
export function isWellFormedAppId(
  value: unknown,
  release: string,
): value is string {
  return appId(value, release) === undefined;
}

const releases: AttributeRule['check'] = (value, release) =>
  nonEmptyStringList(value, release) ??
  ((value as string[]).every((entry) => /^[0-9][0-9a-z]{0,7}$/.test(entry))
    ? undefined
    : 'must list release versions such as "3" or "2a"');

const pointsOfAccess: AttributeRule['check'] = (value, release) =>
  stringList(value, release) ??
  ((value as string[]).every((entry) => URL.canParse(entry))
    ? undefined
    : 'must list absolute URIs');

const serializations: AttributeRule['check'] = (value, release) =>
  stringList(value, release) ??
  ((value as string[]).every((entry) => CONTENT_SERIALIZATIONS.includes(entry))
    ? undefined
    : `may only list ${CONTENT_SERIALIZATIONS.join(', ')}`);

/** The `<AE>` attributes by short name, with their rules. */
const attributeRules: Readonly<Record<string, AttributeRule>> = {
  rn: { ...cseOwned, create: 'optional', check: resourceName },
  ty: cseOwned,
  ri: cseOwned,
  pi: cseOwned,
  ct: cseOwned,
  lt: cseOwned,
  aei: cseOwned,
  et: optional(timestamp),
  api: { ...cseOwned, create: 'mandatory', check: appId },
  rr: { ...optional(boolean, 'mandatory'), deletable: false },
  srv: { ...optional(releases, 'mandatory'), deletable: false },
  poa: optional(pointsOfAccess),
  csz: optional(serializations),
  lbl: optional(nonEmptyStringList),
  apn: optional(text),
  nl: optional(text),
  or: optional(text),
  regs: optional(text),
  trps: optional(boolean),
  esi: optional(object),
  acpi: optional(stringList),
  at: optional(stringList),
  aa: optional(stringList),
  daci: optional(stringList),
  cstn: optional(text),
};

/** The names the CSE keeps outside {@link AeCreate.attributes}. */
const ownedByCse = new Set(['rn', 'ty', 'ri', 'pi', 'ct', 'lt', 'aei', 'et']);

/** Validated content of a Create `<AE>`. */
export interface AeCreate {
  readonly rn: string | undefined;
  /** The requested `et`, still to be judged against the policy and clock. */
  readonly et: string | undefined;
  readonly api: string;
  /** Every AE-chosen attribute (including `api`), as stored and returned. */
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** Validated content of an Update `<AE>`. */
export interface AeUpdate {
  /** `undefined`: keep `et`; `null`: the CSE chooses again; else asked. */
  readonly et: string | null | undefined;
  /** Attributes to set. */
  readonly set: Readonly<Record<string, unknown>>;
  /** Attributes to delete (`null` in the request). */
  readonly remove: readonly string[];
}

/**
 * The `m2m:ae` object of a request body.
 *
 * @throws {BadRequestError} the body is not a JSON object, or (Create) its
 *   only member is not `m2m:ae`, or `m2m:ae` is not an object.
 * @throws {ContentsUnacceptableError} (Update) the only member is not
 *   `m2m:ae`.
 */
export function aeContent(
  body: unknown,
  operation: 'create' | 'update',
): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequestError('the body must be a JSON object');
  }
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== 'm2m:ae') {
    const message = 'the body must hold exactly one member, m2m:ae';
    throw operation === 'create'
      ? new BadRequestError(message)
      : new ContentsUnacceptableError(message);
  }
  const content = (body as Record<string, unknown>)['m2m:ae'];
  if (object(content, '') !== undefined) {
    throw new BadRequestError('m2m:ae must be an object');
  }
  return content as Record<string, unknown>;
}

/**
 * Validates the `m2m:ae` content of a Create sent with release `release`.
 *
 * @throws {BadRequestError} an unknown, not-permitted, missing or
 *   ill-typed attribute (`null` included: it only means something in an
 *   Update).
 */
export function validateCreate(
  content: Readonly<Record<string, unknown>>,
  release: string,
): AeCreate {
  for (const [name, value] of Object.entries(content)) {
    const rule = ruleOf(name);
    if (rule.create === 'notPermitted') {
      throw notPermitted(name, 'a Create');
    }
    checkValue(name, value, rule, release);
  }
  for (const [name, rule] of Object.entries(attributeRules)) {
    if (rule.create === 'mandatory' && !Object.hasOwn(content, name)) {
      throw new BadRequestError(`${name} is mandatory`);
    }
  }
  const attributes = Object.fromEntries(
    Object.entries(content).filter(([name]) => !ownedByCse.has(name)),
  );
  return {
    rn: content.rn as string | undefined,
    et: content.et as string | undefined,
    api: content.api as string,
    attributes,
  };
}

/**
 * Validates the `m2m:ae` content of an Update sent with release `release`.
 *
 * @throws {BadRequestError} an unknown, not-permitted or ill-typed
 *   attribute, `null` for an attribute that cannot be deleted, or `acpi`
 *   together with other attributes.
 */
export function validateUpdate(
  content: Readonly<Record<string, unknown>>,
  release: string,
): AeUpdate {
  const set: Record<string, unknown> = {};
  const remove: string[] = [];
  for (const [name, value] of Object.entries(content)) {
    const rule = ruleOf(name);
    if (rule.update === 'notPermitted') {
      throw notPermitted(name, 'an Update');
    }
    if (value === null) {
      if (!rule.deletable) {
        throw new BadRequestError(`${name} cannot be deleted`);
      }
      remove.push(name);
      continue;
    }
    checkValue(name, value, rule, release);
    set[name] = value;
  }
  if (Object.hasOwn(content, 'acpi') && Object.keys(content).length > 1) {
    throw new BadRequestError('acpi must be the only attribute of its Update');
  }
  const { et, ...rest } = set;
  return {
    et: content.et === null ? null : (et as string | undefined),
    set: rest,
    remove: remove.filter((name) => name !== 'et'),
  };
}

function ruleOf(name: string): AttributeRule {
  const rule = Object.hasOwn(attributeRules, name)
    ? attributeRules[name]
    : undefined;
  if (rule === undefined) {
    throw new BadRequestError(
      `${name.slice(0, 40)} is not an attribute of <AE>`,
    );
  }
  return rule;
}

function checkValue(
  name: string,
  value: unknown,
  rule: AttributeRule,
  release: string,
): void {
  const problem =
    value === null ? 'must not be null' : rule.check(value, release);
  if (problem !== undefined) {
    throw new BadRequestError(`${name} ${problem}`);
  }
}

function notPermitted(name: string, operation: string): BadRequestError {
  return new BadRequestError(`${name} is not permitted in ${operation}`);
}
