import type {
  Authenticator,
  Principal,
} from '#registrar/ports/authenticator.ts';
import type { CredentialIssuer } from '#registrar/ports/credentials.ts';

const openPrincipal: Principal = { kind: 'open' };

/**
 * The open-mode {@link Authenticator}: verifies nothing and lets the
 * pipeline trust `X-M2M-Origin`, as a CSE without a security association
 * does (security.md section 3). Only for interoperability testing.
 */
export const openAuthenticator: Authenticator = {
  authenticate: async () => openPrincipal,
};

/** The open-mode {@link CredentialIssuer}: there are no secrets to issue. */
export const openCredentialIssuer: CredentialIssuer = {
  issue: async () => undefined,
};
