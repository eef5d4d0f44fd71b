import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { sharedAwsClients } from '#registrar/adapters/aws/clients.ts';
import { composeAwsRegistrar } from '#registrar/adapters/aws/compose.ts';
import { readAwsSettings } from '#registrar/adapters/aws/settings.ts';
import type { Registrar } from '#registrar/registrar/registrar.ts';
import {
  countExpiry,
  logger,
  metrics,
  powertoolsLogger,
} from './observability.ts';

/** The input of each expiry schedule. */
export interface ExpiryEvent {
  readonly aei: string;
}

function isExpiryEvent(event: unknown): event is ExpiryEvent {
  const aei = (event as { aei?: unknown } | null)?.aei;
  return typeof aei === 'string' && aei !== '';
}

/**
 * The expiry timer's callback, invoked asynchronously by EventBridge
 * Scheduler with `{"aei": "<aei>"}`.
 *
 * It trusts neither the firing time nor that it runs once: the registrar
 * looks at the stored registration and ends it only when it has expired,
 * conditionally on its version. A failure is thrown so that Lambda and
 * Scheduler try again (and finally park the event in the dead-letter
 * queue); a malformed event is logged and dropped, as no retry can fix it.
 */
export function expiryHandler(registrar: Registrar) {
  return async (event: unknown): Promise<void> => {
    if (!isExpiryEvent(event)) {
      logger.error('malformed expiry event', { type: typeof event });
      countExpiry('malformed');
      return;
    }
    let ended: boolean;
    try {
      ended = await registrar.expire(event.aei);
    } catch (cause) {
      countExpiry('failed');
      throw cause;
    }
    countExpiry(ended ? 'expired' : 'skipped');
  };
}

const { registrar } = composeAwsRegistrar(
  readAwsSettings(process.env, 'expiry'),
  { clients: sharedAwsClients(), logger },
);

/** The expiry function's entry point. */
export const handler = middy(expiryHandler(registrar))
  .use(injectLambdaContext(powertoolsLogger))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
