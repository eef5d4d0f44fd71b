import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  type ClientOverrides,
  createAwsClients,
  MAX_ATTEMPTS,
} from '#registrar/adapters/aws/clients.ts';
import { DynamoRegistrationStore } from '#registrar/adapters/aws/dynamo-store.ts';
import { KmsRootKeys } from '#registrar/adapters/aws/kms-root-keys.ts';
import { SchedulerExpiryTimers } from '#registrar/adapters/aws/scheduler-timers.ts';

/** A canned HTTP answer of the fake service. */
interface Answer {
  readonly status: number;
  readonly body: string;
  readonly errorType?: string;
}

/**
 * An SDK request handler that answers from a script, so that the real
 * middleware stack (signing, retries, back-off, parsing) runs without a
 * network. Records every request's target operation.
 */
function scriptedService(answers: Answer[]) {
  const seen: string[] = [];
  const requestHandler = {
    handle: async (request: {
      headers: Record<string, string>;
      path: string;
    }) => {
      seen.push(request.headers['x-amz-target'] ?? request.path);
      const answer = answers.shift() ?? { status: 200, body: '{}' };
      return {
        response: {
          statusCode: answer.status,
          reason: '',
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            ...(answer.errorType === undefined
              ? {}
              : { 'x-amzn-errortype': answer.errorType }),
          },
          body: new TextEncoder().encode(answer.body),
        },
      };
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
  };
  return { requestHandler, seen };
}

function clients(requestHandler: unknown, maxAttempts = MAX_ATTEMPTS) {
  return createAwsClients({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: requestHandler as NonNullable<
      ClientOverrides['requestHandler']
    >,
    maxAttempts,
  });
}

function throttled(type: string): Answer {
  return {
    status: 400,
    errorType: type,
    body: JSON.stringify({ __type: type, message: 'slow down' }),
  };
}

describe('throttling', () => {
  it.each(['ProvisionedThroughputExceededException', 'ThrottlingException'])(
    'retries a DynamoDB %s with back-off and succeeds',
    async (type) => {
      const service = scriptedService([throttled(type)]);
      const store = new DynamoRegistrationStore(
        clients(service.requestHandler).dynamo,
        'm2m-registrar',
      );

      const found = await store.findByAei('Cdev');

      expect(found).toBeUndefined();
      expect(service.seen).toEqual([
        'DynamoDB_20120810.GetItem',
        'DynamoDB_20120810.GetItem',
      ]);
    },
  );

  it('gives up after the attempt budget and surfaces the throttling', async () => {
    const type = 'ProvisionedThroughputExceededException';
    const service = scriptedService([throttled(type), throttled(type)]);
    const dynamo = clients(service.requestHandler, 2).dynamo;

    const attempt = dynamo.send(
      new GetCommand({ TableName: 't', Key: { pk: 'a', sk: 'b' } }),
    );

    await expect(attempt).rejects.toMatchObject({ name: type });
    expect(service.seen).toHaveLength(2);
  });

  it('retries a throttled transaction as a whole', async () => {
    const service = scriptedService([throttled('ThrottlingException')]);
    const dynamo = clients(service.requestHandler).dynamo;

    await dynamo.send(new TransactWriteCommand({ TransactItems: [] }));

    expect(service.seen).toEqual([
      'DynamoDB_20120810.TransactWriteItems',
      'DynamoDB_20120810.TransactWriteItems',
    ]);
  });

  it('retries a throttled KMS GenerateMac', async () => {
    const mac = Buffer.alloc(32, 9);
    const service = scriptedService([
      throttled('ThrottlingException'),
      {
        status: 200,
        body: JSON.stringify({
          Mac: mac.toString('base64'),
          KeyId: 'k',
          MacAlgorithm: 'HMAC_SHA_256',
        }),
      },
    ]);
    const keys = new KmsRootKeys(clients(service.requestHandler).kms, {
      enrollment: 'k',
      registration: 'k',
    });

    const result = await keys.mac('enrollment', new Uint8Array(3));

    expect(Buffer.from(result)).toEqual(mac);
    expect(service.seen).toEqual([
      'TrentService.GenerateMac',
      'TrentService.GenerateMac',
    ]);
  });

  it('retries a throttled schedule create', async () => {
    const service = scriptedService([
      {
        status: 429,
        errorType: 'ThrottlingException',
        body: JSON.stringify({ Message: 'slow down' }),
      },
      { status: 200, body: JSON.stringify({ ScheduleArn: 'arn' }) },
    ]);
    const timers = new SchedulerExpiryTimers(
      clients(service.requestHandler).scheduler,
      {
        groupName: 'g',
        target: { targetArn: 'f', roleArn: 'r', deadLetterArn: 'q' },
      },
    );

    await timers.arm('Cdev', Date.now() + 3_600_000);

    expect(service.seen).toEqual(['/schedules/Cdev', '/schedules/Cdev']);
  });
});
