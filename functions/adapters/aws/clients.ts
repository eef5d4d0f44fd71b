import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient, type KMSClientConfig } from '@aws-sdk/client-kms';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The SDK clients the AWS adapters share.
 *
 * Endpoints are never set here: the SDK reads `AWS_ENDPOINT_URL` and
 * `AWS_ENDPOINT_URL_<SERVICE>` itself, which is how the same code reaches
 * MiniStack or LocalStack, and an explicit `endpoint` would override them.
 */
export interface AwsClients {
  /** DynamoDB with native JavaScript values in and out. */
  readonly dynamo: DynamoDBDocumentClient;
  readonly kms: KMSClient;
  readonly scheduler: SchedulerClient;
}

/**
 * Client settings a caller may add, such as a region or, in tests,
 * credentials and a request handler that answers without a network.
 */
export type ClientOverrides = Readonly<
  Pick<
    KMSClientConfig,
    'region' | 'credentials' | 'requestHandler' | 'maxAttempts'
  >
>;

/**
 * Attempts per call, the first included.
 *
 * Throttling (`ThrottlingException`, `ProvisionedThroughputExceededException`)
 * and transient 5xx are retried with the standard mode's exponential
 * back-off and jitter; five attempts span about two seconds, well inside
 * API Gateway's 30 s.
 */
export const MAX_ATTEMPTS = 5;

/** Builds the three clients; nothing is sent until a request needs it. */
export function createAwsClients(overrides: ClientOverrides = {}): AwsClients {
  const config: KMSClientConfig = {
    maxAttempts: MAX_ATTEMPTS,
    retryMode: 'standard',
    ...overrides,
  };
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return {
    dynamo,
    kms: new KMSClient(config),
    scheduler: new SchedulerClient(config),
  };
}

let shared: AwsClients | undefined;

/**
 * The clients of this Lambda environment, built on first use and reused by
 * every later invocation.
 */
export function sharedAwsClients(): AwsClients {
  shared ??= createAwsClients();
  return shared;
}
