import { createHmac, randomBytes } from 'node:crypto';
import {
  linkSync,
  mkdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { RootKeyName, RootKeys } from '#registrar/ports/keys.ts';

/**
 * The local key file: the embedded registrar's two root keys.
 *
 * It lives in the data folder, is created on first start with mode 0600
 * and is never committed (`*.key` is in `.gitignore`). Content:
 * `{"version":1,"enrollment":"<base64url>","registration":"<base64url>"}`,
 * each value 32 random bytes.
 */

/** The key file's name inside the data folder. */
export const KEY_FILE = 'registrar.key';

const KEY_BYTES = 32;
const MAX_MESSAGE_BYTES = 4096;

/** The two root keys as raw bytes. */
export interface RootKeyMaterial {
  readonly enrollment: Uint8Array;
  readonly registration: Uint8Array;
}

/** The key file is missing, unsafe or malformed; the server must not start. */
export class KeyFileError extends Error {
  /** The key file's path. */
  public readonly path: string;

  public constructor(path: string, problem: string, options?: ErrorOptions) {
    super(`key file ${path}: ${problem}`, options);
    this.name = 'KeyFileError';
    this.path = path;
  }
}

/**
 * {@link RootKeys} over keys held in this process, HMAC by node:crypto.
 *
 * The keys are copied, so the caller may wipe its buffers.
 */
export function inMemoryRootKeys(material: RootKeyMaterial): RootKeys {
  const keys: Record<RootKeyName, Buffer> = {
    enrollment: Buffer.from(material.enrollment),
    registration: Buffer.from(material.registration),
  };
  return {
    async mac(root, message) {
      if (message.length > MAX_MESSAGE_BYTES) {
        throw new RangeError('MAC message longer than 4096 bytes');
      }
      const digest = createHmac('sha256', keys[root]).update(message).digest();
      return new Uint8Array(digest);
    },
  };
}

/**
 * Reads `<dataDir>/registrar.key`, creating it with two fresh random keys
 * when it does not exist.
 *
 * @throws {KeyFileError} the file is readable or writable by anyone but its
 *   owner, or its content is not a valid key file.
 */
export function loadOrCreateKeyFile(dataDir: string): RootKeyMaterial {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, KEY_FILE);
  if (!exists(path)) {
    createKeyFile(path);
  }
  return readKeyFile(path);
}

/** {@link RootKeys} from the data folder's key file (see {@link loadOrCreateKeyFile}). */
export function keyFileRootKeys(dataDir: string): RootKeys {
  return inMemoryRootKeys(loadOrCreateKeyFile(dataDir));
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return false;
    }
    throw new KeyFileError(path, 'cannot be read', { cause: error });
  }
}

/**
 * Writes a temporary file and links it into place, so that a crash never
 * leaves a half-written key file and two racing first starts agree on one.
 */
function createKeyFile(path: string): void {
  const content = `${JSON.stringify({
    version: 1,
    enrollment: randomBytes(KEY_BYTES).toString('base64url'),
    registration: randomBytes(KEY_BYTES).toString('base64url'),
  })}\n`;
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new KeyFileError(path, 'cannot be created', { cause: error });
    }
  } finally {
    unlinkSync(temporary);
  }
}

function readKeyFile(path: string): RootKeyMaterial {
  const mode = statSync(path).mode & 0o777;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new KeyFileError(
      path,
      `mode ${mode.toString(8).padStart(4, '0')} lets other users read ` +
        'or write it; run `chmod 600` on it (or delete it to start over)',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new KeyFileError(path, 'is not valid JSON');
  }
  return {
    enrollment: keyOf(path, parsed, 'enrollment'),
    registration: keyOf(path, parsed, 'registration'),
  };
}

function keyOf(path: string, parsed: unknown, name: RootKeyName): Uint8Array {
  if (typeof parsed !== 'object' || parsed === null) {
    throw new KeyFileError(path, 'is not a JSON object');
  }
  const record = parsed as Record<string, unknown>;
  if (record.version !== 1) {
    throw new KeyFileError(path, 'has no "version": 1');
  }
  const value = record[name];
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(value)) {
    throw new KeyFileError(
      path,
      `"${name}" must be 32 bytes in base64url (43 characters)`,
    );
  }
  return new Uint8Array(Buffer.from(value, 'base64url'));
}
