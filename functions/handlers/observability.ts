import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { PowertoolsLoggerAdapter } from '#registrar/adapters/aws/logger.ts';
import type { Logger as LoggerPort } from '#registrar/ports/logger.ts';

/** The service name on every log line and metric. */
export const SERVICE_NAME = 'm2m-registrar';

/** The CloudWatch namespace of the registrar's metrics. */
export const METRICS_NAMESPACE = 'M2mRegistrar';

/**
 * The Powertools logger of this Lambda environment; its level comes from
 * `POWERTOOLS_LOG_LEVEL` (default `INFO`).
 */
export const powertoolsLogger = new Logger({ serviceName: SERVICE_NAME });

/** The same logger behind the registrar's Logger port. */
export const logger: LoggerPort = new PowertoolsLoggerAdapter(powertoolsLogger);

/** The metrics of this Lambda environment, flushed after each invocation. */
export const metrics = new Metrics({
  namespace: METRICS_NAMESPACE,
  serviceName: SERVICE_NAME,
});

/**
 * Counts one handled request (`requests`) under its operation and oneM2M
 * response status code, e.g. `create` / `2001`.
 *
 * Only these two low-cardinality values become dimensions: never an
 * AE-ID, a secret or a `poa`.
 */
export function countRequest(operation: string, rsc: string): void {
  metrics.addDimensions({ operation, rsc });
  metrics.addMetric('requests', MetricUnit.Count, 1);
}

/**
 * Counts one expiry callback (`expiries`) by its outcome: `expired` (it
 * de-registered the AE), `skipped` (not due, already gone, or renewed),
 * `failed` (thrown, to be retried) or `malformed` (dropped).
 */
export function countExpiry(
  outcome: 'expired' | 'skipped' | 'failed' | 'malformed',
): void {
  metrics.addDimensions({ operation: 'expire', outcome });
  metrics.addMetric('expiries', MetricUnit.Count, 1);
}

/** Counts what one expiry sweep found and could not end. */
export function countSweep(found: number, failed: number): void {
  metrics.addDimensions({ operation: 'sweep' });
  metrics.addMetric('sweptRegistrations', MetricUnit.Count, found);
  metrics.addMetric('sweepFailures', MetricUnit.Count, failed);
}
