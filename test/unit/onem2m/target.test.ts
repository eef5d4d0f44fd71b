import { describe, expect, it } from 'vitest';
import type { CseIdentity } from '#registrar/commons/settings.ts';
import { resolveTarget } from '#registrar/onem2m/target.ts';

const cse: CseIdentity = {
  cseId: '/id-in',
  cseRn: 'cse-in',
  cseRi: 'id-in',
  spId: 'registrar.example.com',
};

function codeOf(action: () => unknown): number | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return (error as { rsc?: number }).rsc;
  }
}

describe('target', () => {
  it.each([
    ['/cse-in', { kind: 'cse' }],
    ['/-', { kind: 'cse' }],
    ['/id-in', { kind: 'cse' }],
    ['/cse-in/lightApp', { kind: 'aeByName', rn: 'lightApp' }],
    ['/-/lightApp', { kind: 'aeByName', rn: 'lightApp' }],
    ['/Cx7k2', { kind: 'aeById', ri: 'Cx7k2' }],
    ['/~/id-in', { kind: 'cse' }],
    ['/~/id-in/cse-in', { kind: 'cse' }],
    ['/~/id-in/-/lightApp', { kind: 'aeByName', rn: 'lightApp' }],
    ['/~/id-in/cse-in/lightApp', { kind: 'aeByName', rn: 'lightApp' }],
    ['/~/id-in/Cx7k2', { kind: 'aeById', ri: 'Cx7k2' }],
    ['/_/registrar.example.com/id-in', { kind: 'cse' }],
    [
      '/_/registrar.example.com/id-in/cse-in/lightApp',
      { kind: 'aeByName', rn: 'lightApp' },
    ],
    ['/_/registrar.example.com/id-in/Cx7k2', { kind: 'aeById', ri: 'Cx7k2' }],
    ['/cse-in/light%41pp', { kind: 'aeByName', rn: 'lightApp' }],
  ])('resolves %s', (path, target) => {
    expect(resolveTarget(path, cse)).toEqual(target);
  });

  it.each([
    ['another CSE, SP-relative', '/~/id-other/cse-in'],
    ['another SP', '/_/other.example.com/id-in/cse-in'],
    ['another CSE, absolute', '/_/registrar.example.com/id-x/cse-in'],
    ['a path below an AE', '/cse-in/lightApp/child'],
    ['a path below an AE id', '/Cx7k2/child'],
    ['a path below the CSE id', '/id-in/lightApp'],
    ['the root', '/'],
    ['a trailing slash', '/cse-in/'],
    ['an empty segment', '/cse-in//lightApp'],
    ['a relative path', 'cse-in'],
    ['an SP-relative path without a CSE', '/~'],
  ])('returns 4004 for %s', (_case, path) => {
    expect(codeOf(() => resolveTarget(path, cse))).toBe(4004);
  });

  it.each(['/cse-in/%E0%A4%A', '/cse-in/%zz'])(
    'returns 4000 for malformed percent-encoding in %s',
    (path) => {
      expect(codeOf(() => resolveTarget(path, cse))).toBe(4000);
    },
  );
});
