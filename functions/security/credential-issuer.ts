import { formatTimestamp } from '#registrar/onem2m/timestamp.ts';
import type {
  CredentialIssuer,
  CredentialMember,
} from '#registrar/ports/credentials.ts';
import type { Registration } from '#registrar/registrar/model.ts';
import type { KeyDerivation } from './derivation.ts';
import { SIGNATURE_ALGORITHM } from './http-signature.ts';
import { registrationKeyId } from './keyid.ts';

/**
 * The signed-mode {@link CredentialIssuer}: derives the registration secret
 * `Ks` of the registration's current generation and hands it out as the
 * `m2m-registrar:cred` member (security.md section 4).
 *
 * This member is the only place the secret ever leaves the registrar; it
 * is not stored, logged or put in an error.
 */
export class DerivedCredentialIssuer implements CredentialIssuer {
  readonly #derivation: KeyDerivation;

  /** Creates the issuer over `derivation`. */
  public constructor(derivation: KeyDerivation) {
    this.#derivation = derivation;
  }

  /** @inheritdoc */
  public async issue(
    registration: Registration,
    now: number,
  ): Promise<CredentialMember> {
    const key = await this.#derivation.registrationSecret(registration);
    return {
      kid: registrationKeyId(registration.aei, registration.generation),
      key: Buffer.from(key).toString('base64url'),
      alg: SIGNATURE_ALGORITHM,
      et: formatTimestamp(registration.expiresAt),
      ttl: Math.max(0, Math.floor((registration.expiresAt - now) / 1000)),
    };
  }
}
