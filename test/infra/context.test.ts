import { describe, expect, it } from 'vitest';
import { ContextError, readStackContext } from '../../infra/context.ts';

function lookupOf(values: Record<string, unknown>) {
  return (name: string) => values[name];
}

describe('readStackContext', () => {
  it('keeps the protective defaults when nothing is given', () => {
    const context = readStackContext(lookupOf({}));

    expect(context).toEqual({
      stackName: 'M2mRegistrar',
      deletionProtection: true,
      cliCredentials: false,
      throttle: {},
      settings: {},
    });
  });

  it('reads -c strings and cdk.json values alike', () => {
    const context = readStackContext(
      lookupOf({
        stackName: 'Other',
        deletionProtection: 'false',
        cliCredentials: true,
        security: 'open',
        forceOpen: 'true',
        cseId: '/id-x',
        maxLifetimeS: '600',
        defaultLifetimeS: 60,
        throttleRate: '50',
        throttleBurst: 80,
      }),
    );

    expect(context).toEqual({
      stackName: 'Other',
      deletionProtection: false,
      cliCredentials: true,
      throttle: { rateLimit: 50, burstLimit: 80 },
      settings: {
        security: 'open',
        forceOpen: true,
        cseId: '/id-x',
        maxLifetimeS: 600,
        defaultLifetimeS: 60,
      },
    });
  });

  it.each([
    ['deletionProtection', 'no'],
    ['security', 'none'],
    ['clockSkewS', '5m'],
  ])('refuses %s=%s naming the value', (name, value) => {
    const read = () => readStackContext(lookupOf({ [name]: value }));

    expect(read).toThrow(ContextError);
    expect(read).toThrow(`context ${name}`);
  });
});
