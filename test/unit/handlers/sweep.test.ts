import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it, vi } from 'vitest';
import { SWEEP_LIMIT, sweepExpired } from '#registrar/handlers/expiry-sweep.ts';
import { silentLogger } from '#registrar/ports/logger.ts';
import type { Registration } from '#registrar/registrar/model.ts';
import type { Registrar } from '#registrar/registrar/registrar.ts';
import { functionEnvironment, lambdaContext } from './events.ts';

const now = Date.parse('2026-03-01T12:00:00.000Z');

function due(aei: string): Registration {
  return {
    aei,
    rn: aei,
    attributes: {},
    createdAt: now - 10,
    modifiedAt: now - 10,
    expiresAt: now - 1,
    version: 1,
    salt: 'c2FsdA',
    generation: 0,
  };
}

function registrar(expire: Registrar['expire']): Registrar {
  return {
    handle: async () => ({ status: 500, headers: {}, body: undefined }),
    expire,
    revoke: async () => false,
  };
}

describe('sweepExpired', () => {
  it('expires every registration due now, up to its limit', async () => {
    const listExpiring = vi.fn(async () => [due('Ca'), due('Cb')]);
    const expire = vi.fn(async () => true);

    const result = await sweepExpired({
      registrar: registrar(expire),
      store: { listExpiring },
      clock: { now: () => now },
      logger: silentLogger,
    });

    expect(result).toEqual({ found: 2, failed: 0 });
    expect(listExpiring).toHaveBeenCalledWith(now, SWEEP_LIMIT);
    expect(expire.mock.calls).toEqual([['Ca'], ['Cb']]);
  });

  it('goes on past a registration it cannot end, and counts it', async () => {
    const expire = vi.fn(async (aei: string) => {
      if (aei === 'Ca') {
        throw new Error('unavailable');
      }
      return true;
    });

    const result = await sweepExpired({
      registrar: registrar(expire),
      store: { listExpiring: async () => [due('Ca'), due('Cb')] },
      clock: { now: () => now },
      logger: silentLogger,
    });

    expect(result).toEqual({ found: 2, failed: 1 });
    expect(expire).toHaveBeenCalledWith('Cb');
  });
});

describe('sweep handler', () => {
  it('queries the expiry index once and reports an empty sweep', async () => {
    const dynamo = mockClient(DynamoDBDocumentClient);
    dynamo.on(QueryCommand).resolves({ Items: [] });
    const { M2M_SCHEDULER_ROLE_ARN: _, ...env } = functionEnvironment;
    for (const [name, value] of Object.entries(env)) {
      vi.stubEnv(name, value);
    }
    const { handler } = await import('#registrar/handlers/sweep.ts');

    const result = await handler({}, lambdaContext());

    expect(result).toEqual({ found: 0, failed: 0 });
    expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input.IndexName).toBe(
      'byExpiry',
    );
    vi.unstubAllEnvs();
  });
});
