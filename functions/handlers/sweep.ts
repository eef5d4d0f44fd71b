import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { sharedAwsClients } from '#registrar/adapters/aws/clients.ts';
import { composeAwsRegistrar } from '#registrar/adapters/aws/compose.ts';
import { readAwsSettings } from '#registrar/adapters/aws/settings.ts';
import { systemClock } from '#registrar/ports/clock.ts';
import { type SweepResult, sweepExpired } from './expiry-sweep.ts';
import {
  countSweep,
  logger,
  metrics,
  powertoolsLogger,
} from './observability.ts';

const { registrar, store } = composeAwsRegistrar(
  readAwsSettings(process.env, 'expiry'),
  { clients: sharedAwsClients(), logger },
);

/**
 * The expiry sweep's entry point: invoke it on a recurring schedule
 * (every 15 minutes suits) with any input. It needs the same environment
 * and permissions as the expiry function, plus `dynamodb:Query` on the
 * `byExpiry` index.
 */
export const handler = middy(async (): Promise<SweepResult> => {
  const result = await sweepExpired({
    registrar,
    store,
    clock: systemClock,
    logger,
  });
  countSweep(result.found, result.failed);
  return result;
})
  .use(injectLambdaContext(powertoolsLogger))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
