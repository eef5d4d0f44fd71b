import { createHmac } from 'node:crypto';
import {
  chmodSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  KEY_FILE,
  KeyFileError,
  keyFileRootKeys,
  loadOrCreateKeyFile,
} from '#registrar/adapters/embedded/key-file.ts';

describe('key file', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'm2m-key-file-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates two distinct 32-byte keys with mode 0600 on first use', () => {
    const material = loadOrCreateKeyFile(dataDir);

    expect(material.enrollment).toHaveLength(32);
    expect(material.registration).toHaveLength(32);
    expect(Buffer.from(material.enrollment)).not.toEqual(
      Buffer.from(material.registration),
    );
    expect(statSync(join(dataDir, KEY_FILE)).mode & 0o777).toBe(0o600);
  });

  it('reads the same keys on the next start', () => {
    const first = loadOrCreateKeyFile(dataDir);

    const second = loadOrCreateKeyFile(dataDir);

    expect(Buffer.from(second.enrollment)).toEqual(
      Buffer.from(first.enrollment),
    );
  });

  it('refuses a key file other users may read', () => {
    loadOrCreateKeyFile(dataDir);
    chmodSync(join(dataDir, KEY_FILE), 0o644);

    expect(() => loadOrCreateKeyFile(dataDir)).toThrow(/mode 0644/);
  });

  it.each([
    ['not JSON', 'not json', /not valid JSON/],
    ['no version', '{"enrollment":"x"}', /"version": 1/],
    [
      'a short key',
      '{"version":1,"enrollment":"AAAA","registration":"AAAA"}',
      /"enrollment" must be 32 bytes/,
    ],
  ])('refuses %s', (_case, content, message) => {
    writeFileSync(join(dataDir, KEY_FILE), content, { mode: 0o600 });

    expect(() => loadOrCreateKeyFile(dataDir)).toThrow(KeyFileError);
    expect(() => loadOrCreateKeyFile(dataDir)).toThrow(message);
  });

  it('gives root keys that MAC with the file keys', async () => {
    const material = loadOrCreateKeyFile(dataDir);
    const keys = keyFileRootKeys(dataDir);

    const mac = await keys.mac('registration', Buffer.from('m'));

    expect(Buffer.from(mac).toString('hex')).toBe(
      createHmac('sha256', material.registration).update('m').digest('hex'),
    );
  });
});
