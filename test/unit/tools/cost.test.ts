import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AWS_CALLS, type OperationCalls } from '#registrar/tools/aws-calls.ts';
import {
  costPerMillion,
  DEFAULT_ASSUMPTIONS,
  renderCost,
  sum,
  usageOf,
} from '#registrar/tools/cost.ts';

const nothing: OperationCalls = {
  apiRequests: 0,
  apiInvocations: 0,
  expiryInvocations: 0,
  schedulerInvocations: 0,
  kms: 0,
  dynamo: {
    consistentReads: 0,
    eventualReads: 0,
    writes: 0,
    transactionItems: 0,
  },
  schedules: { create: 0, update: 0, delete: 0 },
};

function dynamo(parts: Partial<OperationCalls['dynamo']>): OperationCalls {
  return { ...nothing, dynamo: { ...nothing.dynamo, ...parts } };
}

describe('usageOf', () => {
  it.each([
    ['a strongly consistent read', { consistentReads: 1 }, 1, 0],
    ['an eventually consistent read', { eventualReads: 1 }, 0.5, 0],
    ['a single-item write', { writes: 1 }, 0, 1],
    ['a transaction of two items', { transactionItems: 2 }, 0, 4],
  ])('bills %s as %d read and %d write units', (_, parts, reads, writes) => {
    const usage = usageOf(dynamo(parts), DEFAULT_ASSUMPTIONS);

    expect([usage.readUnits, usage.writeUnits]).toEqual([reads, writes]);
  });

  it('bills each function invocation its memory times its duration', () => {
    const usage = usageOf(
      { ...nothing, apiInvocations: 1, expiryInvocations: 1 },
      { memoryMb: 1024, apiMs: 100, expiryMs: 50 },
    );

    expect(usage.lambdaRequests).toBe(2);
    expect(usage.lambdaGbSeconds).toBeCloseTo(0.15, 10);
  });
});

describe('costPerMillion', () => {
  it.each([
    ['a KMS request', { ...nothing, kms: 1 }, 3],
    ['a write', dynamo({ writes: 1 }), 0.625],
    ['a consistent read', dynamo({ consistentReads: 1 }), 0.125],
    ['a fired schedule', { ...nothing, schedulerInvocations: 1 }, 1],
    ['an HTTP API request', { ...nothing, apiRequests: 1 }, 1],
  ])('prices %s at $%d per million', (_, calls, dollars) => {
    expect(costPerMillion(usageOf(calls, DEFAULT_ASSUMPTIONS))).toBeCloseTo(
      dollars,
      10,
    );
  });

  it('prices a registration and its expiry at $16.625 per million', () => {
    const lifecycle = sum(
      usageOf(AWS_CALLS.register, DEFAULT_ASSUMPTIONS),
      usageOf(AWS_CALLS.expiry, DEFAULT_ASSUMPTIONS),
    );

    expect(costPerMillion(lifecycle)).toBeCloseTo(16.625, 4);
  });
});

describe('the README cost section', () => {
  it('is what npm run cost prints for the counted calls', () => {
    const readme = readFileSync(
      new URL('../../../README.md', import.meta.url),
      'utf8',
    );

    const section = /<!-- npm run cost -->\n\n([\s\S]*?)\n<!-- end -->/.exec(
      readme,
    );

    expect(section?.[1]).toBe(renderCost());
  });
});
