import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it, vi } from 'vitest';
import { PowertoolsLoggerAdapter } from '#registrar/adapters/aws/logger.ts';

function powertools() {
  const logger = new Logger({ serviceName: 'test', logLevel: 'DEBUG' });
  const spies = {
    debug: vi.spyOn(logger, 'debug').mockReturnValue(undefined),
    info: vi.spyOn(logger, 'info').mockReturnValue(undefined),
    warn: vi.spyOn(logger, 'warn').mockReturnValue(undefined),
    error: vi.spyOn(logger, 'error').mockReturnValue(undefined),
  };
  return { logger, spies };
}

describe('PowertoolsLoggerAdapter', () => {
  it.each(['debug', 'info', 'warn', 'error'] as const)(
    'writes %s lines with the message and the fields',
    (level) => {
      const { logger, spies } = powertools();
      const adapter = new PowertoolsLoggerAdapter(logger);

      adapter[level]('registration created', { aei: 'Cdev1' });

      expect(spies[level]).toHaveBeenCalledWith('registration created', {
        aei: 'Cdev1',
      });
    },
  );

  it('adds the fields of every ancestor to a child line', () => {
    const { logger, spies } = powertools();
    const child = new PowertoolsLoggerAdapter(logger)
      .child({ requestId: 'r1' })
      .child({ aei: 'Cdev1' });

    child.info('registration updated', { version: 2 });

    expect(spies.info).toHaveBeenCalledWith('registration updated', {
      requestId: 'r1',
      aei: 'Cdev1',
      version: 2,
    });
  });

  it('leaves the parent without the child fields', () => {
    const { logger, spies } = powertools();
    const parent = new PowertoolsLoggerAdapter(logger, { service: 'api' });
    parent.child({ aei: 'Cdev1' });

    parent.warn('request refused');

    expect(spies.warn).toHaveBeenCalledWith('request refused', {
      service: 'api',
    });
  });
});
