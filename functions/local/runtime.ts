import { resolve } from 'node:path';
import { SqliteAuditLog } from '#registrar/adapters/embedded/audit-log.ts';
import {
  type EmbeddedDatabase,
  openDatabase,
} from '#registrar/adapters/embedded/database.ts';
import {
  composeSignedMode,
  type EmbeddedSecurity,
  type SignedModeParts,
} from '#registrar/adapters/embedded/security.ts';
import { SqliteRegistrationStore } from '#registrar/adapters/embedded/sqlite-store.ts';
import { SqliteExpiryTimers } from '#registrar/adapters/embedded/timers.ts';
import type { LocalSettings } from '#registrar/commons/settings.ts';
import type { Authenticator } from '#registrar/ports/authenticator.ts';
import { type Clock, systemClock } from '#registrar/ports/clock.ts';
import type { CredentialIssuer } from '#registrar/ports/credentials.ts';
import type { Logger } from '#registrar/ports/logger.ts';
import { createRegistrar } from '#registrar/registrar/create-registrar.ts';
import {
  openAuthenticator,
  openCredentialIssuer,
} from '#registrar/registrar/open-access.ts';
import type {
  Registrar,
  RegistrarDependencies,
} from '#registrar/registrar/registrar.ts';
import {
  DEMO_ENROLLMENT_ID,
  ensureDemoEnrollment,
} from '#registrar/security/demo-enrollment.ts';
import type { MasterCredential } from '#registrar/security/enrollments.ts';
import {
  readSecuritySettings,
  type SecuritySettings,
} from '#registrar/security/security-settings.ts';
import { createLocalServer, type LocalServer } from './server.ts';

/** What the embedded runtime is composed from, besides the settings. */
export interface RuntimeOptions {
  readonly logger: Logger;
  /** @default the system clock */
  readonly clock?: Clock;
  /** Longest sleep of the expiry timers between looks at their table. */
  readonly timerPollIntervalMs?: number;
  /** Signed mode's own settings; @default read from `process.env` */
  readonly security?: SecuritySettings;
}

/** The security parts of the registrar's dependencies. */
interface SecurityDependencies {
  readonly authenticator: Authenticator;
  readonly credentials: CredentialIssuer;
  readonly enrollmentPolicy?: RegistrarDependencies['enrollmentPolicy'];
  readonly rotationGraceS?: number;
  readonly signed?: EmbeddedSecurity;
}

/**
 * The embedded registrar and the adapters under it, on one data folder.
 *
 * The command line uses it as is (its timers never fire, they only arm and
 * disarm); the server also starts the timers.
 */
export interface EmbeddedRegistrar {
  readonly registrar: Registrar;
  readonly database: EmbeddedDatabase;
  readonly store: SqliteRegistrationStore;
  readonly audit: SqliteAuditLog;
  readonly timers: SqliteExpiryTimers;
  /** Signed mode's enrollments and key derivation; absent when open. */
  readonly signed: EmbeddedSecurity | undefined;
  /** Stops the timers (when started) and closes the database. */
  close(): Promise<void>;
}

/** The running local registrar: server, timers and store. */
export interface LocalRuntime {
  /** Where the server listens, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** The data folder, as an absolute path. */
  readonly dataDir: string;
  readonly settings: LocalSettings;
  readonly registrar: Registrar;
  /** The store under the registrar, for inspection (tests, tools). */
  readonly store: SqliteRegistrationStore;
  /** The audit log under the registrar. */
  readonly audit: SqliteAuditLog;
  /**
   * The demo enrollment's master credential when this start created it
   * (first start in signed mode): for the terminal, never for a log.
   */
  readonly demoEnrollment: MasterCredential | undefined;
  /**
   * The demo enrollment's id when an earlier start created it and it is
   * still active: its credential is not shown again, only how to get it.
   */
  readonly earlierDemoEnrollment: string | undefined;
  /** Stops accepting, finishes requests in flight, stops timers, closes. */
  stop(): Promise<void>;
}

/**
 * The server cannot listen where the settings say: the port is taken or
 * needs privileges, or the host is not an address of this machine. The
 * message names the setting to change.
 */
export class ListenError extends Error {
  /** The system's error code, e.g. `EADDRINUSE`. */
  public readonly code: string;

  public constructor(code: string, message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'ListenError';
    this.code = code;
  }
}

/** Composes the embedded registrar on the data folder of `settings`. */
export function composeEmbeddedRegistrar(
  settings: LocalSettings,
  options: RuntimeOptions,
): EmbeddedRegistrar {
  const clock = options.clock ?? systemClock;
  const database = openDatabase(settings.dataDir);
  const store = new SqliteRegistrationStore(database);
  const audit = new SqliteAuditLog(database);
  const timers = new SqliteExpiryTimers({
    database,
    store,
    clock,
    logger: options.logger,
    ...(options.timerPollIntervalMs === undefined
      ? {}
      : { pollIntervalMs: options.timerPollIntervalMs }),
  });
  const secured = security(
    settings,
    { database, registrations: store, clock, logger: options.logger },
    options,
  );
  const registrar = createRegistrar({
    settings,
    store,
    timers,
    audit,
    authenticator: secured.authenticator,
    credentials: secured.credentials,
    ...(secured.enrollmentPolicy === undefined
      ? {}
      : { enrollmentPolicy: secured.enrollmentPolicy }),
    ...(secured.rotationGraceS === undefined
      ? {}
      : { rotationGraceS: secured.rotationGraceS }),
    clock,
    logger: options.logger,
    cseCreatedAt: cseCreatedAt(database, clock),
  });
  return {
    registrar,
    database,
    store,
    audit,
    timers,
    signed: secured.signed,
    async close() {
      await timers.stop();
      database.close();
    },
  };
}

/**
 * When this data folder's `<CSEBase>` came into being: the first start's
 * time, kept in the database so that `ct` stays the same across restarts.
 */
function cseCreatedAt(database: EmbeddedDatabase, clock: Clock): number {
  database.ensureSchema(`
    CREATE TABLE IF NOT EXISTS cse_base (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      created_at INTEGER NOT NULL
    ) STRICT`);
  database
    .statement(
      `INSERT INTO cse_base (id, created_at) VALUES (1, ?)
       ON CONFLICT DO NOTHING`,
    )
    .run(clock.now());
  const row = database
    .statement('SELECT created_at FROM cse_base WHERE id = 1')
    .get() as { created_at: number };
  return row.created_at;
}

/**
 * How requests are authenticated and which credentials are issued: open
 * (trust `X-M2M-Origin`, no secrets), or signed (RFC 9421 signatures with
 * keys derived from the data folder's key file, security.md).
 */
function security(
  settings: LocalSettings,
  parts: Omit<SignedModeParts, 'settings' | 'dataDir' | 'security'>,
  options: RuntimeOptions,
): SecurityDependencies {
  if (settings.security === 'open') {
    return {
      authenticator: openAuthenticator,
      credentials: openCredentialIssuer,
    };
  }
  const signed = composeSignedMode({
    ...parts,
    settings,
    dataDir: settings.dataDir,
    security: options.security ?? readSecuritySettings(process.env),
  });
  return { ...signed, signed };
}

/**
 * Starts the local registrar: opens the data folder, starts the HTTP
 * server, then (signed mode, first start) creates the demo enrollment and
 * starts the expiry timers (which first catch up on anything that expired
 * while stopped).
 *
 * The demo enrollment is created only once the server listens, so that a
 * start that cannot listen leaves the next one a true first start, which
 * shows the demo credential.
 *
 * @throws {ListenError} the port is taken or needs privileges, or the
 *   host is not an address of this machine.
 */
export async function startLocalRuntime(
  settings: LocalSettings,
  options: RuntimeOptions,
): Promise<LocalRuntime> {
  const embedded = composeEmbeddedRegistrar(settings, options);
  const { registrar, timers } = embedded;
  const server = createLocalServer({
    handler: (request) => registrar.handle(request),
    logger: options.logger,
  });
  let url: string;
  let demo: DemoState;
  try {
    url = await listenOrExplain(server, settings);
    demo = await demoState(embedded, settings, options);
  } catch (error) {
    await server.close();
    await embedded.close();
    throw error;
  }
  // The embedded timers need not know whether a firing ended anything.
  timers.start(async (aei) => {
    await registrar.expire(aei);
  });
  return {
    url,
    dataDir: resolve(settings.dataDir),
    settings,
    registrar,
    store: embedded.store,
    audit: embedded.audit,
    ...demo,
    async stop() {
      await server.close();
      await embedded.close();
    },
  };
}

/** What a start says about the demo enrollment. */
type DemoState = Pick<LocalRuntime, 'demoEnrollment' | 'earlierDemoEnrollment'>;

/**
 * Creates the demo enrollment on a signed first start; on a later signed
 * start, tells whether it is still there to be used.
 */
async function demoState(
  embedded: EmbeddedRegistrar,
  settings: LocalSettings,
  options: RuntimeOptions,
): Promise<DemoState> {
  const { signed } = embedded;
  if (signed === undefined) {
    return { demoEnrollment: undefined, earlierDemoEnrollment: undefined };
  }
  const created = await ensureDemoEnrollment(
    signed.enrollments,
    signed.derivation,
    settings,
    (options.clock ?? systemClock).now(),
  );
  if (created !== undefined) {
    return { demoEnrollment: created, earlierDemoEnrollment: undefined };
  }
  const earlier = await signed.enrollments.find(DEMO_ENROLLMENT_ID);
  return {
    demoEnrollment: undefined,
    earlierDemoEnrollment: earlier?.state === 'active' ? earlier.id : undefined,
  };
}

/** Listens where the settings say, naming the setting when it cannot. */
async function listenOrExplain(
  server: LocalServer,
  { port, host }: LocalSettings,
): Promise<string> {
  try {
    return await server.listen(port, host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const problem = listenProblems[code];
    if (problem === undefined) {
      throw error;
    }
    throw new ListenError(code, problem(port, host), error);
  }
}

const listenProblems: Readonly<
  Record<string, (port: number, host: string) => string>
> = {
  EADDRINUSE: (port, host) => `M2M_PORT ${port} is already in use on ${host}`,
  EACCES: (port, host) =>
    `M2M_PORT ${port} on ${host} needs privileges this process lacks; ` +
    'choose a port above 1023',
  EADDRNOTAVAIL: (_port, host) =>
    `M2M_HOST ${host} is not an address of this machine`,
};
