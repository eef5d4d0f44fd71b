import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateFileError } from '#registrar/client/errors.ts';
import {
  type AeState,
  readStateFile,
  writeStateFile,
} from '#registrar/client/state-file.ts';

const state: AeState = {
  baseUrl: 'http://127.0.0.1:8080',
  cseRn: 'cse-in',
  aei: 'Cx7k2',
  rn: 'lightApp',
  kid: 'reg:Cx7k2:0',
  key: Buffer.alloc(32, 2).toString('base64url'),
  et: '20300101T000000',
};

let dir: string;
let path: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'm2m-state-'));
  path = join(dir, 'ae-state.json');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('state file', () => {
  it('is written readable and writable by its owner only', () => {
    writeStateFile(path, state);

    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('stays 0600 when rewritten, and leaves no temporary file', () => {
    writeStateFile(path, state);
    writeStateFile(path, { ...state, kid: 'reg:Cx7k2:1' });

    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['ae-state.json']);
    expect(readStateFile(path).kid).toBe('reg:Cx7k2:1');
  });

  it('reads back what was written', () => {
    writeStateFile(path, state);

    expect(readStateFile(path)).toEqual(state);
  });

  it.each([0o644, 0o640, 0o604, 0o660])(
    'refuses a state file with mode %o',
    (mode) => {
      writeStateFile(path, state);
      chmodSync(path, mode);

      expect(() => readStateFile(path)).toThrow(/chmod 600/);
    },
  );

  it('refuses a symbolic link to a state file', () => {
    const target = join(dir, 'elsewhere.json');
    writeStateFile(target, state);
    symlinkSync(target, path);

    expect(() => readStateFile(path)).toThrow(StateFileError);
  });

  it.each([
    ['is missing', undefined, /register first/],
    ['is not JSON', 'nope', /not JSON/],
    ['has no aei', JSON.stringify({ ...state, aei: undefined }), /no aei/],
    [
      'has a key that is not 32 bytes',
      JSON.stringify({ ...state, key: 'abc' }),
      /32 bytes/,
    ],
  ])('refuses a state file that %s', (_, content, message) => {
    if (content !== undefined) {
      writeFileSync(path, content, { mode: 0o600 });
    }

    expect(() => readStateFile(path)).toThrow(message);
  });
});
