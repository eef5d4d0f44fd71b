import type { HttpRequest } from '#registrar/onem2m/message.ts';
import type {
  Authenticator,
  Principal,
} from '#registrar/ports/authenticator.ts';
import type { Clock } from '#registrar/ports/clock.ts';
import type { EnrollmentStore } from '#registrar/ports/enrollments.ts';
import type { FailureCounters } from '#registrar/ports/lockout.ts';
import type { Logger } from '#registrar/ports/logger.ts';
import type { ReplayGuard } from '#registrar/ports/replay.ts';
import type { RegistrationStore } from '#registrar/ports/store.ts';
import { isExpired } from '#registrar/registrar/model.ts';
import type { KeyDerivation } from './derivation.ts';
import { enrollmentPolicy } from './enrollment-policy.ts';
import { type KeyReference, parseKeyId } from './keyid.ts';
import { type LockoutPolicy, lockoutState } from './lockout.ts';
import { SignatureError } from './signature-error.ts';
import {
  type InspectedSignature,
  inspectSignature,
  verifyMac,
} from './signature-verifier.ts';

/** What the signed-mode authenticator works with. */
export interface SignedAuthenticatorDependencies {
  readonly derivation: KeyDerivation;
  readonly enrollments: EnrollmentStore;
  readonly registrations: Pick<RegistrationStore, 'findByAei'>;
  readonly replay: ReplayGuard;
  readonly failures: FailureCounters;
  readonly lockout: LockoutPolicy;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Accepted clock difference, seconds (`M2M_CLOCK_SKEW_S`). */
  readonly clockSkewS: number;
  /** The operator credential's version (`M2M_ADMIN_KEY_VERSION`). */
  readonly adminKeyVersion: number;
}

/** A key that `keyid` names, with who signs with it. */
interface ResolvedKey {
  readonly key: Uint8Array;
  readonly principal: Principal;
  /** The enrollment whose failure counter a bad MAC raises. */
  readonly lockoutSubject?: string;
  /** Whether that enrollment has failures to forget after a success. */
  readonly hasFailures?: boolean;
}

/**
 * The signed-mode {@link Authenticator} (security.md section 3).
 *
 * Order of checks: signature shape, coverage, time, `Content-Digest`
 * (no key needed); then the key behind `keyid` and, for an enrollment, its
 * lockout state; then the MAC; and last the replay guard, so that only
 * authentic requests take room in it. keyids:
 * - `enr:<enrollmentId>:<keyVersion>`: `Km` of an active enrollment at its
 *   current key version → an `enrollment` principal with its policy;
 * - `reg:<aei>:<generation>`: `Ks` of a live registration at its current
 *   generation, or the previous one within its grace period → a
 *   `registration` principal;
 * - `adm:<version>`: the operator credential at `M2M_ADMIN_KEY_VERSION` →
 *   the `admin` principal (the pipeline requires the admin originator).
 */
export class SignedAuthenticator implements Authenticator {
  readonly #deps: SignedAuthenticatorDependencies;

  /** Creates the authenticator over `deps`. */
  public constructor(deps: SignedAuthenticatorDependencies) {
    this.#deps = deps;
  }

  /** @inheritdoc */
  public async authenticate(request: HttpRequest): Promise<Principal> {
    const now = this.#deps.clock.now();
    const inspected = inspectSignature(request, {
      now,
      clockSkewS: this.#deps.clockSkewS,
    });
    const reference = parseKeyId(inspected.parameters.keyid);
    if (reference === undefined) {
      throw unknownKey('keyid is not enr:…, reg:… or adm:…');
    }
    const resolved = await this.#resolve(reference, now);
    await this.#checkMac(inspected, resolved, now);
    await this.#claimNonce(inspected, now);
    // Clearing only what exists keeps a write off every good registration.
    if (resolved.lockoutSubject !== undefined && resolved.hasFailures) {
      await this.#deps.failures.clear(resolved.lockoutSubject);
    }
    return resolved.principal;
  }

  #resolve(reference: KeyReference, now: number): Promise<ResolvedKey> {
    switch (reference.kind) {
      case 'enrollment':
        return this.#enrollmentKey(reference, now);
      case 'registration':
        return this.#registrationKey(reference, now);
      case 'admin':
        return this.#adminKey(reference.keyVersion);
    }
  }

  async #enrollmentKey(
    reference: Extract<KeyReference, { kind: 'enrollment' }>,
    now: number,
  ): Promise<ResolvedKey> {
    const { enrollmentId, keyVersion } = reference;
    const enrollment = await this.#deps.enrollments.find(enrollmentId);
    if (enrollment === undefined || enrollment.state !== 'active') {
      throw unknownKey('keyid names no active enrollment');
    }
    if (enrollment.keyVersion !== keyVersion) {
      throw staleOrUnknown(
        keyVersion,
        enrollment.keyVersion,
        'key version of the enrollment',
      );
    }
    const hasFailures = await this.#checkLockout(enrollmentId, now);
    return {
      key: await this.#deps.derivation.masterCredential(
        enrollmentId,
        keyVersion,
      ),
      principal: {
        kind: 'enrollment',
        enrollmentId,
        policy: enrollmentPolicy(enrollment),
      },
      lockoutSubject: enrollmentId,
      hasFailures,
    };
  }

  async #registrationKey(
    reference: Extract<KeyReference, { kind: 'registration' }>,
    now: number,
  ): Promise<ResolvedKey> {
    const { aei, generation } = reference;
    const registration = await this.#deps.registrations.findByAei(aei);
    if (registration === undefined || isExpired(registration, now)) {
      throw unknownKey('keyid names no live registration');
    }
    const current = generation === registration.generation;
    const inGrace =
      generation === registration.generation - 1 &&
      (registration.previousGenerationUntil ?? 0) > now;
    if (!current && !inGrace) {
      throw staleOrUnknown(
        generation,
        registration.generation,
        'credential generation',
      );
    }
    return {
      key: await this.#deps.derivation.registrationSecret({
        aei,
        salt: registration.salt,
        generation,
      }),
      principal: { kind: 'registration', aei, generation },
    };
  }

  async #adminKey(keyVersion: number): Promise<ResolvedKey> {
    if (keyVersion !== this.#deps.adminKeyVersion) {
      throw staleOrUnknown(
        keyVersion,
        this.#deps.adminKeyVersion,
        'operator key version',
      );
    }
    return {
      key: await this.#deps.derivation.operatorCredential(keyVersion),
      principal: { kind: 'admin' },
    };
  }

  /** Refuses a throttled or locked enrollment; says whether it has failures. */
  async #checkLockout(enrollmentId: string, now: number): Promise<boolean> {
    const record = await this.#deps.failures.read(enrollmentId);
    const state = lockoutState(record, this.#deps.lockout, now);
    if (state.kind === 'open') {
      return record !== undefined;
    }
    const waitS = Math.ceil((state.until - now) / 1000);
    if (state.kind === 'locked') {
      throw new SignatureError(
        'locked',
        `the enrollment is locked after failed signatures; retry in ${waitS} s`,
      );
    }
    throw new SignatureError(
      'throttled',
      `a signature under this enrollment failed recently; retry in ${waitS} s`,
    );
  }

  async #checkMac(
    inspected: InspectedSignature,
    resolved: ResolvedKey,
    now: number,
  ): Promise<void> {
    try {
      verifyMac(inspected, resolved.key);
    } catch (error) {
      const subject = resolved.lockoutSubject;
      if (subject !== undefined) {
        await this.#recordFailure(subject, now);
      }
      throw error;
    }
  }

  async #recordFailure(enrollmentId: string, now: number): Promise<void> {
    const { lockout, failures, logger } = this.#deps;
    const record = await failures.recordFailure(
      enrollmentId,
      now,
      now - lockout.lockoutMs,
    );
    if (record.count === lockout.threshold) {
      logger.warn('enrollment locked after failed signatures', {
        enrollmentId,
        failures: record.count,
        lockedForS: lockout.lockoutMs / 1000,
      });
    }
  }

  async #claimNonce(inspected: InspectedSignature, now: number) {
    const { keyid, nonce, created } = inspected.parameters;
    // Remembered one second past the last instant `created` passes the
    // freshness check, so the edge of the window cannot be replayed.
    const until = (created + this.#deps.clockSkewS + 1) * 1000;
    if (!(await this.#deps.replay.claim(keyid, nonce, until, now))) {
      throw new SignatureError(
        'replayed',
        'this keyid and nonce were used before; sign with a fresh nonce',
      );
    }
  }
}

function unknownKey(detail: string): SignatureError {
  return new SignatureError('unknown-keyid', detail);
}

/**
 * The refusal of a keyid whose number is not the one in use: older ones
 * were retired, newer ones were never issued.
 */
function staleOrUnknown(
  given: number,
  current: number,
  what: string,
): SignatureError {
  return unknownKey(
    given < current
      ? `keyid names a retired ${what}`
      : `keyid names an unknown ${what}, newer than the one in use`,
  );
}
