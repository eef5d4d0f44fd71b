import { createJsonLogger, logLevelFrom } from '#registrar/local/logger.ts';
import {
  ListenError,
  type LocalRuntime,
  startLocalRuntime,
} from '#registrar/local/runtime.ts';
import type { MasterCredential } from '#registrar/security/enrollments.ts';
import { readSecuritySettings } from '#registrar/security/security-settings.ts';
import {
  type CommandContext,
  CommandFailedError,
  type CommandGroup,
} from './command.ts';

/** What `serve` prints once the server listens. */
export interface ServeBanner {
  readonly url: string;
  readonly dataDir: string;
  readonly security: string;
  /**
   * Created by this first start in signed mode: the demo enrollment and
   * its master credential (printed on the terminal, never logged).
   */
  readonly demoEnrollment?: MasterCredential;
  /**
   * The demo enrollment an earlier start created, when it is still
   * active: only its id, for the hint how to show its credential.
   */
  readonly earlierDemoEnrollment?: string;
}

const openWarning = [
  '',
  '  WARNING: m2m-registrar is running OPEN (M2M_SECURITY=open).',
  '  Requests are not authenticated: X-M2M-Origin is trusted as sent',
  '  and no registration secrets are issued. Use it for',
  '  interoperability tests on this machine only.',
  '',
  '',
].join('\n');

/**
 * Resolves on the first SIGINT or SIGTERM, so that `serve` can stop
 * cleanly (finishing requests in flight) instead of dying mid-write.
 */
function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** How to use the demo enrollment, created now or by an earlier start. */
function demoLines(banner: ServeBanner): string[] {
  const demo = banner.demoEnrollment;
  if (demo === undefined) {
    return earlierDemoLines(banner.earlierDemoEnrollment);
  }
  return [
    '',
    `First start: created the demo enrollment "${demo.enrollmentId}".`,
    `  sign a Create <AE> with keyid ${demo.keyid} and this master`,
    `  credential (base64url, keep it secret): ${demo.key}`,
    `  show it again: m2m-registrar enrollment credential ${demo.enrollmentId}`,
    '',
  ];
}

/** A reminder, on later starts, how to get the demo credential again. */
function earlierDemoLines(id: string | undefined): string[] {
  if (id === undefined) {
    return [];
  }
  return [
    '',
    `The demo enrollment "${id}" is ready; show its master credential with:`,
    `  m2m-registrar enrollment credential ${id}`,
    '',
  ];
}

/** Starts the runtime, turning a place it cannot listen on into one line. */
async function start(
  ...args: Parameters<typeof startLocalRuntime>
): Promise<LocalRuntime> {
  try {
    return await startLocalRuntime(...args);
  } catch (error) {
    if (error instanceof ListenError) {
      throw new CommandFailedError(error.message);
    }
    throw error;
  }
}

async function serve(context: CommandContext): Promise<number> {
  const settings = context.settings();
  const logger = createJsonLogger(logLevelFrom(context.env.M2M_LOG_LEVEL));
  if (settings.security === 'open') {
    context.io.stderr(openWarning);
    logger.warn('running open: requests are not authenticated');
  }
  const stopped = stopSignal();
  const runtime = await start(settings, {
    logger,
    security: readSecuritySettings(context.env),
  });
  const banner: ServeBanner = {
    url: runtime.url,
    dataDir: runtime.dataDir,
    security: settings.security,
    ...(runtime.demoEnrollment === undefined
      ? {}
      : { demoEnrollment: runtime.demoEnrollment }),
    ...(runtime.earlierDemoEnrollment === undefined
      ? {}
      : { earlierDemoEnrollment: runtime.earlierDemoEnrollment }),
  };
  context.print(banner, (shown) =>
    [
      `m2m-registrar listening on ${shown.url}`,
      `  data folder: ${shown.dataDir}`,
      `  security:    ${shown.security}`,
      `  CSEBase:     ${shown.url}/${settings.cse.cseRn}`,
      ...demoLines(shown),
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
  const signal = await stopped;
  logger.info('stopping', { signal });
  await runtime.stop();
  return 0;
}

/** `m2m-registrar serve`: the local server, until SIGINT or SIGTERM. */
export const serveGroup: CommandGroup = {
  name: 'serve',
  summary: 'runs the local registrar',
  commands: [
    {
      summary: 'runs the local registrar until Ctrl-C (SIGINT) or SIGTERM',
      details:
        'Prints where it listens, the data folder and the security mode; ' +
        'logs JSON lines on stderr (level from M2M_LOG_LEVEL).',
      run: serve,
    },
  ],
};
