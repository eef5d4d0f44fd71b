/**
 * The registrar's view of a registered `<AE>`.
 *
 * Nothing secret lives here: the registration secret is derived on demand
 * from a root key, the salt and the generation (security.md section 2).
 */

/**
 * The `<AE>` attributes the AE chose and may change, exactly as they are
 * returned in `m2m:ae` (`api`, `rr`, `srv`, `poa`, `lbl`, `apn`, ...).
 *
 * Attributes the CSE owns (`rn`, `ty`, `ri`, `pi`, `ct`, `lt`, `et`, `aei`)
 * are kept in {@link Registration} itself, never in here.
 */
export type AeAttributes = Readonly<Record<string, unknown>>;

/** One live (or expired but not yet removed) registration. */
export interface Registration {
  /** AE-ID stem; also the resource id `ri`. Unique among registrations. */
  readonly aei: string;
  /** Resource name; unique among the children of the `<CSEBase>`. */
  readonly rn: string;
  /** Writable `<AE>` attributes, see {@link AeAttributes}. */
  readonly attributes: AeAttributes;
  /** Creation time, epoch milliseconds. */
  readonly createdAt: number;
  /** Last modification time, epoch milliseconds. */
  readonly modifiedAt: number;
  /** Expiration time, epoch milliseconds; the registration ends then. */
  readonly expiresAt: number;
  /** Starts at 1; every write adds 1. Writes and deletes compare it. */
  readonly version: number;
  /** The enrollment that allowed the registration; absent in open mode. */
  readonly enrollmentId?: string | undefined;
  /** 16 random bytes, base64url, an input of the registration secret. */
  readonly salt: string;
  /** Credential generation: 0 at registration, +1 per rotation. */
  readonly generation: number;
  /**
   * Until when (epoch milliseconds) the previous generation's secret is
   * still accepted after a rotation; absent when there is no grace period.
   */
  readonly previousGenerationUntil?: number | undefined;
}

/** Whether `registration` has expired at `now` (epoch milliseconds). */
export function isExpired(registration: Registration, now: number): boolean {
  return registration.expiresAt <= now;
}
