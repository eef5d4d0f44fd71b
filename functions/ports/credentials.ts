import type { Registration } from '#registrar/registrar/model.ts';

/**
 * The `m2m-registrar:cred` member of a registration response
 * (security.md section 4). `key` is the registration secret, shown once.
 */
export interface CredentialMember {
  readonly kid: string;
  readonly key: string;
  readonly alg: 'hmac-sha256';
  readonly et: string;
  readonly ttl: number;
}

/** Hands out the registration secret of a new or rotated registration. */
export interface CredentialIssuer {
  /**
   * The credential member for `registration` at its current generation, or
   * `undefined` when the registrar runs open (no secrets at all).
   */
  issue(
    registration: Registration,
    now: number,
  ): Promise<CredentialMember | undefined>;
}
