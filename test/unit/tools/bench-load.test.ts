import { describe, expect, it } from 'vitest';
import { percentiles } from '#registrar/tools/bench-load.ts';

describe('percentiles', () => {
  it('takes the nearest rank for p50 and p99', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);

    expect(percentiles(values)).toEqual({ p50: 50, p99: 99, max: 100 });
  });

  it('reports zeros when nothing succeeded', () => {
    expect(percentiles([])).toEqual({ p50: 0, p99: 0, max: 0 });
  });

  it('rounds to a tenth of a millisecond', () => {
    expect(percentiles([1.234, 5.678])).toEqual({
      p50: 1.2,
      p99: 5.7,
      max: 5.7,
    });
  });
});
