/**
 * The two root keys of security.md section 2, used only through HMAC.
 *
 * Locally they are random keys in a key file; in the cloud they are KMS
 * `HMAC_256` keys and `mac` is one `GenerateMac` call. Derived keys are
 * never stored anywhere.
 */
export type RootKeyName = 'enrollment' | 'registration';

/** HMAC-SHA256 under a root key that never leaves its keeper. */
export interface RootKeys {
  /** HMAC-SHA256 of `message` (at most 4096 bytes) under the named root. */
  mac(root: RootKeyName, message: Uint8Array): Promise<Uint8Array>;
}
