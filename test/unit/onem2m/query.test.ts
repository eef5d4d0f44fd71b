import { describe, expect, it } from 'vitest';
import type { Operation } from '#registrar/onem2m/operation.ts';
import { parseQuery } from '#registrar/onem2m/query.ts';

function codeOf(action: () => unknown): number | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return (error as { rsc?: number }).rsc;
  }
}

describe('query', () => {
  it.each<[Operation, number]>([
    ['create', 1],
    ['retrieve', 1],
    ['update', 1],
    ['delete', 0],
  ])('defaults rcn on %s to %i', (operation, rcn) => {
    expect(parseQuery('', operation).resultContent).toBe(rcn);
  });

  it.each<[Operation, string, number]>([
    ['create', 'rcn=0', 0],
    ['create', 'rcn=1', 1],
    ['create', 'rcn=2', 2],
    ['create', 'rcn=3', 3],
    ['retrieve', 'rcn=1', 1],
    ['update', 'rcn=0', 0],
    ['delete', 'rcn=1', 1],
  ])('accepts %s with %s', (operation, query, rcn) => {
    expect(parseQuery(query, operation).resultContent).toBe(rcn);
  });

  it.each<[Operation, string]>([
    ['create', 'rcn=4'],
    ['create', 'rcn=x'],
    ['create', 'rcn='],
    ['create', 'rcn=01'],
    ['retrieve', 'rcn=0'],
    ['retrieve', 'rcn=4'],
    ['update', 'rcn=2'],
    ['delete', 'rcn=3'],
    ['retrieve', 'rcn=1&rcn=1'],
    ['retrieve', 'fu=1'],
    ['retrieve', 'rt=3'],
    ['retrieve', 'rcn=%E0%A4%A'],
  ])('returns 4000 for %s with %s', (operation, query) => {
    expect(codeOf(() => parseQuery(query, operation))).toBe(4000);
  });

  it('reads a percent-encoded rcn', () => {
    expect(parseQuery('%72cn=%32', 'create').resultContent).toBe(2);
  });
});
