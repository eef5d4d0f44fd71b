import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Registration } from '#registrar/registrar/model.ts';

/** A temporary data folder, removed by the returned `remove`. */
export function temporaryDataDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'm2m-embedded-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A registration with sensible values, overridden by `changes`. */
export function aRegistration(
  changes: Partial<Registration> = {},
): Registration {
  return {
    aei: 'Cabc',
    rn: 'lightApp',
    attributes: { api: 'Nlight-switch', rr: true, srv: ['4'] },
    createdAt: 1_700_000_000_000,
    modifiedAt: 1_700_000_000_000,
    expiresAt: 1_700_003_600_000,
    version: 1,
    salt: 'c2FsdHNhbHRzYWx0c2FsdA',
    generation: 0,
    ...changes,
  };
}
