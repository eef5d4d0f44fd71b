import { describe, expect, it } from 'vitest';
import { createJsonLogger, logLevelFrom } from '#registrar/local/logger.ts';

describe('createJsonLogger', () => {
  function capture(level: Parameters<typeof createJsonLogger>[0]) {
    const lines: Record<string, unknown>[] = [];
    const logger = createJsonLogger(level, (line) => {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    });
    return { lines, logger };
  }

  it('writes one JSON line with time, level, message and fields', () => {
    const { lines, logger } = capture('info');

    logger.info('registered', { aei: 'Cabc' });

    expect(lines).toEqual([
      {
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        level: 'info',
        message: 'registered',
        aei: 'Cabc',
      },
    ]);
    expect(Object.keys(lines[0] ?? {}).slice(0, 3)).toEqual([
      'time',
      'level',
      'message',
    ]);
  });

  it('drops lines below its level', () => {
    const { lines, logger } = capture('warn');

    logger.debug('a');
    logger.info('b');
    logger.warn('c');
    logger.error('d');

    expect(lines.map((line) => line.level)).toEqual(['warn', 'error']);
  });

  it('adds the fields of a child to every line, never over the fixed keys', () => {
    const { lines, logger } = capture('debug');

    logger.child({ requestId: 'r1', level: 'x' }).debug('m', { message: 'y' });

    expect(lines[0]).toMatchObject({
      level: 'debug',
      message: 'm',
      requestId: 'r1',
    });
  });

  it('writes an error field as its name and message', () => {
    const { lines, logger } = capture('info');

    logger.error('failed', { error: new RangeError('too far') });

    expect(lines[0]?.error).toBe('RangeError: too far');
  });
});

describe('logLevelFrom', () => {
  it.each([
    ['debug', 'debug'],
    ['WARN', 'warn'],
    ['error', 'error'],
    [undefined, 'info'],
    ['verbose', 'info'],
  ])('reads %s as %s', (value, level) => {
    expect(logLevelFrom(value)).toBe(level);
  });
});
