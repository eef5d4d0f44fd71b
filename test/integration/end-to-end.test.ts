import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { readLocalSettings } from '#registrar/commons/settings.ts';
import {
  type LocalRuntime,
  startLocalRuntime,
} from '#registrar/local/runtime.ts';
import { silentLogger } from '#registrar/ports/logger.ts';
import { defineEndToEndSuite } from '../e2e/suite.ts';

/*
 * The end-to-end suite against the embedded server: the same suite
 * `npm run test:e2e` runs against the stack on the emulator.
 *
 * Known gap: this shared suite runs open (M2M_SECURITY=open) here and on
 * the emulator; signed mode has its own suites (test/integration/security,
 * test/e2e/emulated-signed.test.ts). Giving the shared suite a signer would
 * run the same cases signed in both places.
 */
let runtime: LocalRuntime | undefined;
let dataDir = '';

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'm2m-e2e-'));
  const settings = readLocalSettings({
    M2M_SECURITY: 'open',
    M2M_PORT: '0',
    M2M_HOST: '127.0.0.1',
    M2M_DATA_DIR: dataDir,
  });
  runtime = await startLocalRuntime(settings, {
    logger: silentLogger,
    timerPollIntervalMs: 200,
  });
});

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

defineEndToEndSuite({
  baseUrl: () => runtime?.url ?? 'http://127.0.0.1:1',
  cse: { cseId: '/id-in', cseRn: 'cse-in', spId: 'registrar.example.com' },
  expiryTimeoutMs: 15_000,
});
