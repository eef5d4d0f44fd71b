/**
 * The registrar's settings, read once from environment variables.
 *
 * Every setting has a sensible default except where product.md says
 * otherwise; a malformed value fails at start with the setting's name.
 */

/** Security mode: RFC 9421 signatures, or none (interoperability tests). */
export type SecurityMode = 'signed' | 'open';

/** The identity of the CSE the registrar plays. */
export interface CseIdentity {
  /** CSE-ID with its leading slash, e.g. `/id-in`. */
  readonly cseId: string;
  /** The `<CSEBase>` resource name, e.g. `cse-in`. */
  readonly cseRn: string;
  /** The `<CSEBase>` resource id: the CSE-ID without its slash, e.g. `id-in`. */
  readonly cseRi: string;
  /** Service provider id, e.g. `registrar.example.com`. */
  readonly spId: string;
}

/** Everything the registration procedure needs to know from settings. */
export interface RegistrarSettings {
  readonly cse: CseIdentity;
  /** The operator's originator; never a registrable stem. */
  readonly adminOriginator: string;
  readonly security: SecurityMode;
  /** Accepted clock difference for signatures, seconds. */
  readonly clockSkewS: number;
  /** Lifetime when neither the request nor an enrollment says, seconds. */
  readonly defaultLifetimeS: number;
  /** Longest lifetime when no enrollment says, seconds. */
  readonly maxLifetimeS: number;
}

/** Settings of the local server on top of {@link RegistrarSettings}. */
export interface LocalSettings extends RegistrarSettings {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
}

/** A setting that is present but malformed. */
export class SettingError extends Error {
  public readonly setting: string;

  public constructor(setting: string, problem: string) {
    super(`${setting}: ${problem}`);
    this.name = 'SettingError';
    this.setting = setting;
  }
}

/** Environment variables by name. */
export type Env = Readonly<Record<string, string | undefined>>;

function text(env: Env, name: string, fallback: string): string {
  const value = env[name];
  return value === undefined || value === '' ? fallback : value;
}

/**
 * Reads the whole-number setting `name`, or `fallback` when it is unset.
 *
 * @throws {SettingError} when the value is not a whole number in `range`.
 */
export function integerSetting(
  env: Env,
  name: string,
  fallback: number,
  range: { min: number; max: number },
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= range.min && value <= range.max)) {
    throw new SettingError(
      name,
      `expected a whole number from ${range.min} to ${range.max}, got "${raw}"`,
    );
  }
  return value;
}

function cseIdentity(env: Env): CseIdentity {
  const cseId = text(env, 'M2M_CSE_ID', '/id-in');
  if (!/^\/[A-Za-z0-9][A-Za-z0-9._~-]*$/.test(cseId)) {
    throw new SettingError(
      'M2M_CSE_ID',
      `expected "/", a letter or digit, then unreserved characters, got "${cseId}"`,
    );
  }
  const cseRn = text(env, 'M2M_CSE_RN', 'cse-in');
  // A leading letter or digit keeps the name apart from the path markers
  // `-`, `~`, `_` and from the registrar's own `/.well-known/` paths.
  if (!/^[A-Za-z0-9][A-Za-z0-9._~-]*$/.test(cseRn)) {
    throw new SettingError(
      'M2M_CSE_RN',
      `expected a letter or digit, then unreserved characters, got "${cseRn}"`,
    );
  }
  const spId = text(env, 'M2M_SP_ID', 'registrar.example.com');
  if (!/^[A-Za-z0-9.-]+$/.test(spId)) {
    throw new SettingError('M2M_SP_ID', `expected a domain, got "${spId}"`);
  }
  return { cseId, cseRn, cseRi: cseId.slice(1), spId };
}

const oneYearS = 366 * 24 * 3600;

/** Reads the registrar settings from `env`. */
export function readRegistrarSettings(env: Env): RegistrarSettings {
  const security = text(env, 'M2M_SECURITY', 'signed');
  if (security !== 'signed' && security !== 'open') {
    throw new SettingError(
      'M2M_SECURITY',
      `expected "signed" or "open", got "${security}"`,
    );
  }
  const adminOriginator = text(env, 'M2M_ADMIN_ORIGINATOR', 'CAdmin');
  if (!/^[CS][A-Za-z0-9._~-]+$/.test(adminOriginator)) {
    throw new SettingError(
      'M2M_ADMIN_ORIGINATOR',
      `expected an originator starting with C or S, got "${adminOriginator}"`,
    );
  }
  const defaultLifetimeS = integerSetting(env, 'M2M_DEFAULT_LIFETIME_S', 3600, {
    min: 1,
    max: oneYearS,
  });
  const maxLifetimeS = integerSetting(
    env,
    'M2M_MAX_LIFETIME_S',
    30 * 24 * 3600,
    {
      min: 1,
      max: oneYearS,
    },
  );
  if (defaultLifetimeS > maxLifetimeS) {
    throw new SettingError(
      'M2M_DEFAULT_LIFETIME_S',
      `must not exceed M2M_MAX_LIFETIME_S (${maxLifetimeS})`,
    );
  }
  return {
    cse: cseIdentity(env),
    adminOriginator,
    security,
    clockSkewS: integerSetting(env, 'M2M_CLOCK_SKEW_S', 300, {
      min: 1,
      max: 3600,
    }),
    defaultLifetimeS,
    maxLifetimeS,
  };
}

/** Reads the local server's settings from `env`. */
export function readLocalSettings(env: Env): LocalSettings {
  return {
    ...readRegistrarSettings(env),
    host: text(env, 'M2M_HOST', '127.0.0.1'),
    port: integerSetting(env, 'M2M_PORT', 8080, { min: 0, max: 65535 }),
    dataDir: text(env, 'M2M_DATA_DIR', './.data'),
  };
}
