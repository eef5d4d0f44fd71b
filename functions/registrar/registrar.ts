import type { RegistrarSettings } from '#registrar/commons/settings.ts';
import type { HttpRequest, HttpResponse } from '#registrar/onem2m/message.ts';
import type { AuditLog } from '#registrar/ports/audit.ts';
import type {
  Authenticator,
  RegistrationPolicy,
} from '#registrar/ports/authenticator.ts';
import type { Clock } from '#registrar/ports/clock.ts';
import type { CredentialIssuer } from '#registrar/ports/credentials.ts';
import type { Logger } from '#registrar/ports/logger.ts';
import type { RegistrationStore } from '#registrar/ports/store.ts';
import type { ExpiryTimers } from '#registrar/ports/timers.ts';

/** Everything the registration procedure works with. */
export interface RegistrarDependencies {
  readonly settings: RegistrarSettings;
  readonly store: RegistrationStore;
  readonly timers: ExpiryTimers;
  readonly audit: AuditLog;
  readonly authenticator: Authenticator;
  readonly credentials: CredentialIssuer;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Cryptographically random bytes (stems, salts); defaults to node:crypto. */
  readonly randomBytes?: (size: number) => Uint8Array;
  /**
   * The current policy of an enrollment, used to clamp `et` on an Update of
   * a registration it allowed. Absent, or `undefined` for an enrollment that
   * is gone: the lifetimes of the settings apply.
   */
  readonly enrollmentPolicy?: (
    enrollmentId: string,
  ) => Promise<RegistrationPolicy | undefined>;
  /**
   * Grace period of the previous credential generation after a rotation,
   * seconds (`M2M_ROTATION_GRACE_S`). Defaults to 300.
   */
  readonly rotationGraceS?: number;
  /**
   * When the `<CSEBase>` came into being (its `ct` and `lt`), epoch ms.
   * Defaults to the time {@link createRegistrar} is called.
   */
  readonly cseCreatedAt?: number;
}

/**
 * The registrar as both transports (local HTTP server, Lambda) and both
 * timer kinds see it.
 */
export interface Registrar {
  /** Handles one oneM2M request. Never throws: every failure is a response. */
  handle(request: HttpRequest): Promise<HttpResponse>;

  /**
   * Called by an expiry timer: de-registers `aei` exactly as a Delete does
   * when, and only when, its stored registration has expired. A late,
   * repeated or stale call does nothing.
   *
   * @returns `true` when this call de-registered `aei`; `false` when it
   *   did nothing (not due, already gone, renewed or changed meanwhile).
   *   Callers that only need it done may ignore it.
   */
  expire(aei: string): Promise<boolean>;

  /**
   * Operator revocation: ends the registration of `aei` as a Delete does.
   *
   * @returns `false` when there was no live registration.
   */
  revoke(aei: string, actor: string): Promise<boolean>;
}

export { createRegistrar } from './create-registrar.ts';
