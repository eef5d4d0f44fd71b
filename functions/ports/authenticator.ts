import type { HttpRequest } from '#registrar/onem2m/message.ts';

/**
 * The registration policy that applies to a Create `<AE>`: which
 * originators and App-IDs may register, and how long for.
 *
 * An enrollment supplies it in signed mode; the settings supply it in open
 * mode.
 */
export interface RegistrationPolicy {
  /** The enrollment this policy comes from; absent in open mode. */
  readonly enrollmentId?: string | undefined;
  /** Whether the originator `C…`/`S…` (as requested, or as assigned) may register. */
  allowsOriginator(originator: string): boolean;
  /** Whether the App-ID `api` may register. */
  allowsApp(api: string): boolean;
  /** Lifetime when the request has no `et`, milliseconds. */
  readonly defaultLifetimeMs: number;
  /** Longest lifetime granted; a later `et` is lowered to it, milliseconds. */
  readonly maxLifetimeMs: number;
}

/** Who a request was authenticated as. */
export type Principal =
  /** Open mode: nothing was verified; `X-M2M-Origin` is trusted as sent. */
  | { readonly kind: 'open' }
  /** Signed with an enrollment's master credential (registration only). */
  | {
      readonly kind: 'enrollment';
      readonly enrollmentId: string;
      readonly policy: RegistrationPolicy;
    }
  /** Signed with a registration secret `Ks` of generation `generation`. */
  | {
      readonly kind: 'registration';
      readonly aei: string;
      readonly generation: number;
    }
  /** Signed with the operator's credential. */
  | { readonly kind: 'admin' };

/**
 * Verifies a request's credential (RFC 9421 signature in signed mode).
 *
 * It checks only that the signature is good and fresh and which identity
 * signed; the pipeline then binds that identity to `X-M2M-Origin`.
 */
export interface Authenticator {
  /**
   * @throws {NotAuthenticatedError} (`4106`) when the request is unsigned,
   *   badly signed, stale, replayed or names an unknown key.
   */
  authenticate(request: HttpRequest): Promise<Principal>;
}
