import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LocalRuntime } from '#registrar/local/runtime.ts';
import { formatTimestamp } from '#registrar/onem2m/timestamp.ts';
import {
  aeOf,
  m2m,
  register,
  removeDataDir,
  sleep,
  startRegistrar,
  temporaryDataDir,
} from './support/registrar.ts';

describe('expiry over HTTP', () => {
  let dataDir: string;
  let runtime: LocalRuntime | undefined;

  beforeEach(() => {
    dataDir = temporaryDataDir();
  });

  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
    removeDataDir(dataDir);
  });

  it('de-registers an AE when its et passes', async () => {
    runtime = await startRegistrar(dataDir);
    const created = await register(
      runtime.url,
      { et: formatTimestamp(Date.now() + 800) },
      'Cshort',
    );
    expect(created.rsc).toBe(2001);

    await vi.waitFor(
      async () => expect(await runtime?.store.list()).toEqual([]),
      { timeout: 5000, interval: 100 },
    );

    const actions = (await runtime.audit.list('Cshort')).map((r) => r.action);
    expect(actions).toEqual(['registered', 'expired']);
  });

  it('keeps an AE whose renewal arrives just before its et', async () => {
    runtime = await startRegistrar(dataDir);
    const et = Date.now() + 1000;
    await register(runtime.url, { et: formatTimestamp(et) }, 'Crenew');
    await sleep(et - Date.now() - 100);

    const renewed = await m2m(runtime.url, 'PUT', '/cse-in/lightApp', {
      origin: 'Crenew',
      body: { 'm2m:ae': { et: formatTimestamp(Date.now() + 60_000) } },
    });
    await sleep(et - Date.now() + 600);

    expect(renewed.rsc).toBe(2004);
    const read = await m2m(runtime.url, 'GET', '/cse-in/lightApp', {
      origin: 'Crenew',
    });
    expect(read.rsc).toBe(2000);
    expect(aeOf(read).et).toBe(aeOf(renewed).et);
    const actions = (await runtime.audit.list('Crenew')).map((r) => r.action);
    expect(actions).toEqual(['registered', 'updated']);
  });

  it('de-registers at its et an AE registered before a restart', async () => {
    const first = await startRegistrar(dataDir);
    const et = Date.now() + 1200;
    await register(first.url, { et: formatTimestamp(et) }, 'Crestart');
    await first.stop();

    runtime = await startRegistrar(dataDir);
    const stillThere = await runtime.store.findByAei('Crestart');
    await vi.waitFor(
      async () => expect(await runtime?.store.list()).toEqual([]),
      { timeout: 5000, interval: 50 },
    );

    expect(stillThere).toBeDefined();
    expect(Date.now()).toBeGreaterThanOrEqual(et);
    const actions = (await runtime.audit.list('Crestart')).map((r) => r.action);
    expect(actions).toEqual(['registered', 'expired']);
  });

  it('de-registers on start an AE whose et passed while stopped', async () => {
    const first = await startRegistrar(dataDir);
    const et = Date.now() + 300;
    await register(first.url, { et: formatTimestamp(et) }, 'Cmissed');
    await first.stop();
    await sleep(et - Date.now() + 100);

    runtime = await startRegistrar(dataDir);

    await vi.waitFor(
      async () => expect(await runtime?.store.list()).toEqual([]),
      { timeout: 2000, interval: 50 },
    );
  });
});
