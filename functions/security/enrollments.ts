import type { Enrollment } from '#registrar/ports/enrollments.ts';
import type { KeyDerivation } from './derivation.ts';
import { ENROLLMENT_ID_PATTERN, enrollmentKeyId } from './keyid.ts';
import { appIdPatternProblem, originatorPatternProblem } from './patterns.ts';

/**
 * Creating enrollments and handing out their master credentials, shared by
 * the command line and the demo enrollment of a first start.
 */

/** What an operator gives to create an enrollment. */
export interface EnrollmentInput {
  readonly id: string;
  /** Default `['*']`: any originator the oneM2M rules allow. */
  readonly originators?: readonly string[] | undefined;
  /** Default `['*']`: any App-ID. */
  readonly apps?: readonly string[] | undefined;
  readonly defaultLifetimeS: number;
  readonly maxLifetimeS: number;
  /** Default none. */
  readonly targets?: readonly string[] | undefined;
}

/** The master credential of an enrollment, as an AE is given it. */
export interface MasterCredential {
  readonly enrollmentId: string;
  /** `enr:<id>:<keyVersion>`, the keyid to sign the registration with. */
  readonly keyid: string;
  /** `Km`, base64url. */
  readonly key: string;
}

/** An enrollment input that cannot be stored; the message says why. */
export class EnrollmentInputError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'EnrollmentInputError';
  }
}

const patternCharacters = /^[A-Za-z0-9._~*-]{1,128}$/;
const cseId = /^\/[A-Za-z0-9._~-]+$/;

/**
 * A new active enrollment at key version 1 from `input`.
 *
 * @throws {EnrollmentInputError} a malformed id, pattern, lifetime or
 *   target, or a pattern whose first character no originator or App-ID
 *   can have.
 */
export function newEnrollment(input: EnrollmentInput, now: number): Enrollment {
  if (!ENROLLMENT_ID_PATTERN.test(input.id)) {
    throw new EnrollmentInputError(
      'the id needs 1 to 64 letters, digits or ._~-',
    );
  }
  const originators = patterns(
    'originator',
    input.originators,
    originatorPatternProblem,
  );
  const apps = patterns('App-ID', input.apps, appIdPatternProblem);
  const targets = [...(input.targets ?? [])];
  const badTarget = targets.find((target) => !cseId.test(target));
  if (badTarget !== undefined) {
    throw new EnrollmentInputError(
      `target "${badTarget}" is not a CSE-ID such as /id-mn1`,
    );
  }
  checkLifetimes(input.defaultLifetimeS, input.maxLifetimeS);
  return {
    id: input.id,
    originators,
    apps,
    defaultLifetimeS: input.defaultLifetimeS,
    maxLifetimeS: input.maxLifetimeS,
    targets,
    state: 'active',
    keyVersion: 1,
    createdAt: now,
  };
}

/** Derives the master credential of `enrollment` at its key version. */
export async function masterCredentialOf(
  derivation: KeyDerivation,
  enrollment: Pick<Enrollment, 'id' | 'keyVersion'>,
): Promise<MasterCredential> {
  const key = await derivation.masterCredential(
    enrollment.id,
    enrollment.keyVersion,
  );
  return {
    enrollmentId: enrollment.id,
    keyid: enrollmentKeyId(enrollment.id, enrollment.keyVersion),
    key: Buffer.from(key).toString('base64url'),
  };
}

function patterns(
  what: string,
  given: readonly string[] | undefined,
  problemOf: (pattern: string) => string | undefined,
): string[] {
  const list = given === undefined ? ['*'] : [...given];
  if (list.length === 0) {
    throw new EnrollmentInputError(`give at least one ${what} pattern`);
  }
  const bad = list.find((pattern) => !patternCharacters.test(pattern));
  if (bad !== undefined) {
    throw new EnrollmentInputError(
      `${what} pattern "${bad}" may hold letters, digits, ._~- and *`,
    );
  }
  const problem = list.map(problemOf).find((text) => text !== undefined);
  if (problem !== undefined) {
    throw new EnrollmentInputError(problem);
  }
  return list;
}

function checkLifetimes(defaultS: number, maxS: number): void {
  const valid = (value: number) => Number.isSafeInteger(value) && value >= 1;
  if (!valid(defaultS) || !valid(maxS)) {
    throw new EnrollmentInputError('lifetimes must be at least 1 s');
  }
  if (defaultS > maxS) {
    throw new EnrollmentInputError(
      'the default lifetime must not exceed the maximum lifetime',
    );
  }
}
