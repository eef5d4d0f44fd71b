import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '#registrar/local/runtime.ts';
import {
  register,
  removeDataDir,
  startRegistrar,
  temporaryDataDir,
} from './support/registrar.ts';

describe('concurrent registrations over HTTP', () => {
  let dataDir: string;
  let runtime: LocalRuntime;

  beforeEach(async () => {
    dataDir = temporaryDataDir();
    runtime = await startRegistrar(dataDir);
  });

  afterEach(async () => {
    await runtime.stop();
    removeDataDir(dataDir);
  });

  it('lets exactly one of several requests for the same stem register', async () => {
    const names = ['a1', 'a2', 'a3', 'a4', 'a5'];

    const responses = await Promise.all(
      names.map((rn) => register(runtime.url, { rn }, 'Cracer')),
    );

    const codes = responses.map((response) => response.rsc).sort();
    expect(codes).toEqual([2001, 4117, 4117, 4117, 4117]);
    const stored = await runtime.store.list();
    expect(stored.map((r) => r.aei)).toEqual(['Cracer']);
  });

  it('lets exactly one of several requests for the same name register', async () => {
    const stems = ['Cn1', 'Cn2', 'Cn3', 'Cn4', 'Cn5'];

    const responses = await Promise.all(
      stems.map((stem) => register(runtime.url, { rn: 'shared' }, stem)),
    );

    const codes = responses.map((response) => response.rsc).sort();
    expect(codes).toEqual([2001, 4105, 4105, 4105, 4105]);
    const stored = await runtime.store.list();
    expect(stored.map((r) => r.rn)).toEqual(['shared']);
  });
});
