import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import { sharedAwsClients } from '#registrar/adapters/aws/clients.ts';
import { composeAwsRegistrar } from '#registrar/adapters/aws/compose.ts';
import { readAwsSettings } from '#registrar/adapters/aws/settings.ts';
import { buildResponse, errorOutcome } from '#registrar/onem2m/response.ts';
import { Rsc } from '#registrar/onem2m/rsc.ts';
import type { Registrar } from '#registrar/registrar/registrar.ts';
import {
  eventShape,
  isHttpApiEvent,
  operationOf,
  toHttpRequest,
  toResult,
} from './http-event.ts';
import {
  countRequest,
  logger,
  metrics,
  powertoolsLogger,
} from './observability.ts';

/**
 * The oneM2M HTTP binding behind API Gateway's HTTP API (payload format
 * 2.0): each event becomes an `HttpRequest` for the registrar's pipeline,
 * whose response goes back as is. The pipeline never throws; every
 * failure is already a oneM2M response.
 *
 * The stage must be `$default`: `rawPath` is used as the resource path.
 *
 * An event that is not an HTTP API request (a direct Invoke with `{}`,
 * another trigger) is the sender's mistake, not the registrar's: it is
 * logged by its shape only (it may hold anything) and answered 4000.
 */
export function apiHandler(registrar: Registrar) {
  return async (
    event: APIGatewayProxyEventV2,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    if (!isHttpApiEvent(event)) {
      return malformedEvent(event);
    }
    const request = toHttpRequest(event);
    const response = await registrar.handle(request);
    countRequest(operationOf(request), response.headers['X-M2M-RSC'] ?? '');
    return toResult(response);
  };
}

function malformedEvent(event: unknown): APIGatewayProxyStructuredResultV2 {
  logger.error('malformed api event', eventShape(event));
  countRequest('malformed', String(Rsc.BAD_REQUEST));
  const outcome = errorOutcome(
    Rsc.BAD_REQUEST,
    'not an HTTP API request (payload format 2.0)',
  );
  return toResult(
    buildResponse(outcome, {
      method: '',
      path: '',
      query: '',
      headers: {},
      body: undefined,
    }),
  );
}

const { registrar } = composeAwsRegistrar(readAwsSettings(process.env, 'api'), {
  clients: sharedAwsClients(),
  logger,
});

/** The API function's entry point. */
export const handler = middy(apiHandler(registrar))
  .use(injectLambdaContext(powertoolsLogger))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
