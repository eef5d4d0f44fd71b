import { describe, expect, it } from 'vitest';
import {
  createAwsClients,
  MAX_ATTEMPTS,
  sharedAwsClients,
} from '#registrar/adapters/aws/clients.ts';

describe('createAwsClients', () => {
  it.each(['kms', 'scheduler'] as const)(
    'gives %s the standard retry mode and the attempt budget',
    async (name) => {
      const clients = createAwsClients({ region: 'eu-west-1' });

      const config = clients[name].config;

      expect(await config.maxAttempts()).toBe(MAX_ATTEMPTS);
      expect(config.retryMode).toBe('standard');
    },
  );

  it('gives DynamoDB the standard retry mode and the attempt budget', async () => {
    const clients = createAwsClients({ region: 'eu-west-1' });

    const config = clients.dynamo.config;

    expect(await config.maxAttempts()).toBe(MAX_ATTEMPTS);
    expect(config.retryMode).toBe('standard');
  });

  it('sets no explicit endpoint, so AWS_ENDPOINT_URL decides', () => {
    const clients = createAwsClients({ region: 'eu-west-1' });

    const endpoints = [
      clients.dynamo.config.endpoint,
      clients.kms.config.endpoint,
      clients.scheduler.config.endpoint,
    ];

    expect(endpoints).toEqual([undefined, undefined, undefined]);
  });

  it('builds the shared clients once', () => {
    const first = sharedAwsClients();

    const second = sharedAwsClients();

    expect(second).toBe(first);
  });
});
