import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import type { AeIdentity } from './ae-client.ts';
import { decodeKey, encodeKey } from './credential-member.ts';
import { StateFileError } from './errors.ts';

/** Where the `ae` commands keep the AE's state when not told otherwise. */
export const DEFAULT_STATE_FILE = './ae-state.json';

/**
 * What an AE keeps between runs: where its registrar is, who it is, and
 * the registration secret it signs with (`kid`, `key`: absent when the
 * registrar runs open).
 */
export interface AeState {
  readonly baseUrl: string;
  readonly cseRn: string;
  readonly aei: string;
  readonly rn: string;
  readonly kid?: string | undefined;
  /** The registration secret `Ks`, base64url. */
  readonly key?: string | undefined;
  readonly et: string;
}

/** The state of a registered client. */
export function stateOf(
  baseUrl: string,
  cseRn: string,
  identity: AeIdentity,
): AeState {
  return {
    baseUrl,
    cseRn,
    aei: identity.aei,
    rn: identity.rn,
    kid: identity.credential?.keyid,
    key:
      identity.credential === undefined
        ? undefined
        : encodeKey(identity.credential.key),
    et: identity.et,
  };
}

/** The client identity a state holds. */
export function identityOf(state: AeState): AeIdentity {
  const key = state.key === undefined ? undefined : decodeKey(state.key);
  return {
    aei: state.aei,
    rn: state.rn,
    et: state.et,
    credential:
      state.kid === undefined || key === undefined
        ? undefined
        : { keyid: state.kid, key },
  };
}

/**
 * Writes `state` to `path`, readable and writable by its owner only.
 *
 * The content goes to a new file created with mode 0600 (`wx`: never an
 * existing file, never through a symbolic link) next to `path`, and is
 * then renamed over `path`, so no reader ever sees a half-written file or
 * a moment where the secret is readable by others.
 */
export function writeStateFile(path: string, state: AeState): void {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(state, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Reads the state at `path`.
 *
 * @throws {StateFileError} the file is missing, is a symbolic link, is not
 *   the user's own, can be read or written by group or others, or does
 *   not hold a state.
 */
export function readStateFile(path: string): AeState {
  const fd = openOwnFile(path);
  let text: string;
  try {
    text = readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
  return parseState(path, text);
}

/** Deletes the state file at `path`, if there is one. */
export function removeStateFile(path: string): void {
  rmSync(path, { force: true });
}

function openOwnFile(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StateFileError(
      path,
      code === 'ENOENT'
        ? 'no such state file; register first'
        : `cannot open the state file (${code})`,
      { cause: error },
    );
  }
  const stat = fstatSync(fd);
  const problem = permissionProblem(stat.mode, stat.uid);
  if (problem !== undefined) {
    closeSync(fd);
    throw new StateFileError(path, problem);
  }
  return fd;
}

function permissionProblem(mode: number, uid: number): string | undefined {
  if ((mode & constants.S_IFMT) !== constants.S_IFREG) {
    return 'not a regular file';
  }
  if (process.getuid !== undefined && uid !== process.getuid()) {
    return 'owned by another user; refusing to use its secret';
  }
  if ((mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(3, '0');
    return `mode ${octal} lets others read or write the secret; chmod 600 it`;
  }
  return undefined;
}

function parseState(path: string, text: string): AeState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StateFileError(path, 'not JSON', { cause: error });
  }
  if (typeof value !== 'object' || value === null) {
    throw new StateFileError(path, 'not a JSON object');
  }
  const state = value as Record<string, unknown>;
  for (const name of ['baseUrl', 'cseRn', 'aei', 'rn', 'et']) {
    if (typeof state[name] !== 'string') {
      throw new StateFileError(path, `has no ${name}`);
    }
  }
  if (state.kid !== undefined && typeof state.kid !== 'string') {
    throw new StateFileError(path, 'kid is not a string');
  }
  if ((state.kid === undefined) !== (state.key === undefined)) {
    throw new StateFileError(path, 'has a kid without a key or the reverse');
  }
  if (state.key !== undefined && decodeKey(state.key) === undefined) {
    throw new StateFileError(path, 'key is not 32 bytes in base64url');
  }
  return state as unknown as AeState;
}
