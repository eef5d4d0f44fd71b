import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

/** Parts of an HTTP API event; everything left out has a default. */
export interface EventParts {
  method?: string;
  rawPath?: string;
  rawQueryString?: string;
  headers?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
}

/** A synthetic HTTP API payload format 2.0 event, as API Gateway sends it. */
export function httpEvent(parts: EventParts): APIGatewayProxyEventV2 {
  const method = parts.method ?? 'GET';
  const rawPath = parts.rawPath ?? '/cse-in';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: parts.rawQueryString ?? '',
    headers: (parts.headers ?? {}) as Record<string, string>,
    requestContext: {
      accountId: '111122223333',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.1',
        userAgent: 'test',
      },
      requestId: 'apigw-request',
      routeKey: '$default',
      stage: '$default',
      time: '01/Mar/2026:12:00:00 +0000',
      timeEpoch: Date.parse('2026-03-01T12:00:00Z'),
    },
    isBase64Encoded: parts.isBase64Encoded ?? false,
    ...(parts.body === undefined ? {} : { body: parts.body }),
  };
}

/** A Lambda context with a fixed request id. */
export function lambdaContext(requestId = 'lambda-request'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'm2m-registrar-api',
    functionVersion: '$LATEST',
    invokedFunctionArn:
      'arn:aws:lambda:eu-west-1:111122223333:function:m2m-registrar-api',
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/m2m-registrar-api',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The environment of a deployed function, in forced open mode. */
export const functionEnvironment = {
  M2M_SECURITY: 'open',
  M2M_FORCE_OPEN: 'true',
  M2M_TABLE_NAME: 'm2m-registrar',
  M2M_ENROLLMENT_KEY_ID: 'alias/m2m-enrollment-root',
  M2M_REGISTRATION_KEY_ID: 'alias/m2m-registration-root',
  M2M_SCHEDULE_GROUP: 'm2m-expiry',
  M2M_SCHEDULER_ROLE_ARN: 'arn:aws:iam::111122223333:role/scheduler',
  M2M_EXPIRY_FUNCTION_ARN:
    'arn:aws:lambda:eu-west-1:111122223333:function:expiry',
  M2M_SCHEDULE_DLQ_ARN: 'arn:aws:sqs:eu-west-1:111122223333:expiry-dlq',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
} as const;
