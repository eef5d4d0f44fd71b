import { describe, expect, it } from 'vitest';
import { parseDuration } from '#registrar/cli/ae.ts';
import { UsageError } from '#registrar/cli/command.ts';

describe('ae --lifetime', () => {
  it.each([
    ['90', 90],
    ['90s', 90],
    ['15m', 900],
    ['2h', 7200],
    ['7d', 604_800],
  ])('reads %s as %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', '1.5h', '-1s', '2w', 'h'])('refuses "%s"', (text) => {
    expect(() => parseDuration(text)).toThrow(UsageError);
  });
});
