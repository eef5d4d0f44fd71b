import { createJsonLogger, logLevelFrom } from '#registrar/local/logger.ts';
import { startLocalRuntime } from '#registrar/local/runtime.ts';
import type { MasterCredential } from '#registrar/security/enrollments.ts';
import { readSecuritySettings } from '#registrar/security/security-settings.ts';
import type { CommandContext, CommandGroup } from './command.ts';

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

/** How to use the demo enrollment a first start created. */
function demoLines(demo: MasterCredential | undefined): string[] {
  if (demo === undefined) {
    return [];
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

async function serve(context: CommandContext): Promise<number> {
  const settings = context.settings();
  const logger = createJsonLogger(logLevelFrom(context.env.M2M_LOG_LEVEL));
  if (settings.security === 'open') {
    context.io.stderr(openWarning);
    logger.warn('running open: requests are not authenticated');
  }
  const stopped = stopSignal();
  const runtime = await startLocalRuntime(settings, {
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
  };
  context.print(banner, (shown) =>
    [
      `m2m-registrar listening on ${shown.url}`,
      `  data folder: ${shown.dataDir}`,
      `  security:    ${shown.security}`,
      `  CSEBase:     ${shown.url}/${settings.cse.cseRn}`,
      ...demoLines(shown.demoEnrollment),
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
