import type { RootKeyName, RootKeys } from '#registrar/ports/keys.ts';

/**
 * Key derivation of security.md section 2: every key is one HMAC-SHA256
 * under a root key, over a fixed ASCII label followed by length-prefixed
 * fields. Nothing derived is ever stored.
 *
 * Field encoding, fixed here so that every adapter derives the same bytes:
 * - each field is a 2-byte big-endian byte length, then its UTF-8 bytes;
 * - numbers (`keyVersion`, `generation`, the operator key version) are
 *   non-negative safe integers written as decimal ASCII without leading
 *   zeros (`String(n)`), e.g. generation 0 is the one byte `0x30`;
 * - `salt` is the registration's stored base64url text, as text (its
 *   UTF-8 bytes), not the 16 bytes it decodes to;
 * - `ri` is the registration's resource id, which equals its `aei`.
 */

/** The label of the master credential `Km` of an enrollment. */
export const MASTER_CREDENTIAL_LABEL = 'm2m-registrar master credential v1';

/** The label of the registration secret `Ks` of a registration. */
export const REGISTRATION_SECRET_LABEL = 'm2m-registrar registration secret v1';

/**
 * The label of the operator credential (signed mode's admin originator).
 *
 * It is derived from the enrollment root, as the operator is the party that
 * hands out master credentials anyway.
 */
export const OPERATOR_CREDENTIAL_LABEL = 'm2m-registrar operator credential v1';

/** The longest message a root key MACs (the KMS `GenerateMac` limit). */
const MAX_MESSAGE_BYTES = 4096;

/** The longest field the 2-byte length prefix can describe. */
const MAX_FIELD_BYTES = 0xffff;

/** The registration inputs of a registration secret. */
export interface SecretInputs {
  /** The AE-ID stem, which is also the resource id `ri`. */
  readonly aei: string;
  /** The stored base64url salt. */
  readonly salt: string;
  /** The credential generation. */
  readonly generation: number;
}

/**
 * Encodes a derivation message: `label`, then each field as a 2-byte
 * big-endian length followed by its UTF-8 bytes.
 *
 * @throws {RangeError} a field is longer than 65535 bytes or the message
 *   longer than 4096 bytes (a programming error: ids are short).
 */
export function encodeDerivationInput(
  label: string,
  fields: readonly string[],
): Uint8Array {
  const parts: Buffer[] = [Buffer.from(label, 'ascii')];
  for (const field of fields) {
    const bytes = Buffer.from(field, 'utf8');
    if (bytes.length > MAX_FIELD_BYTES) {
      throw new RangeError('derivation field longer than 65535 bytes');
    }
    const length = Buffer.alloc(2);
    length.writeUInt16BE(bytes.length);
    parts.push(length, bytes);
  }
  const message = Buffer.concat(parts);
  if (message.length > MAX_MESSAGE_BYTES) {
    throw new RangeError('derivation message longer than 4096 bytes');
  }
  return new Uint8Array(message);
}

/**
 * The decimal field of a counter (`keyVersion`, `generation`).
 *
 * @throws {RangeError} `value` is not a non-negative safe integer.
 */
export function numberField(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError('derivation counter must be a non-negative integer');
  }
  return String(value);
}

/** Derives keys from the root keys, keeping recent results in memory. */
export interface KeyDerivation {
  /** `Km` of enrollment `enrollmentId` at `keyVersion`. */
  masterCredential(
    enrollmentId: string,
    keyVersion: number,
  ): Promise<Uint8Array>;
  /** `Ks` of a registration at its generation `inputs.generation`. */
  registrationSecret(inputs: SecretInputs): Promise<Uint8Array>;
  /** The operator credential at `version` (keyid `adm:<version>`). */
  operatorCredential(version: number): Promise<Uint8Array>;
  /**
   * Drops every cached secret of `aei` (all generations), e.g. when its
   * registration ends or rotates.
   */
  forgetRegistration(aei: string): void;
}

/** Options of {@link createKeyDerivation}. */
export interface KeyDerivationOptions {
  /** Epoch milliseconds; defaults to `Date.now`. */
  readonly now?: () => number;
  /** How long a derived key stays cached, milliseconds; default 5 minutes. */
  readonly cacheTtlMs?: number;
  /** The most keys kept at once; the oldest go first. Default 10000. */
  readonly maxEntries?: number;
}

interface CacheEntry {
  readonly key: Uint8Array;
  readonly until: number;
}

/**
 * A {@link KeyDerivation} over `rootKeys`.
 *
 * A cached key is found under all of its inputs (for `Ks`: aei, salt and
 * generation), so a rotated generation or a new registration of the same
 * stem never meets an old entry; entries also expire after `cacheTtlMs`.
 */
export function createKeyDerivation(
  rootKeys: RootKeys,
  options: KeyDerivationOptions = {},
): KeyDerivation {
  const now = options.now ?? Date.now;
  const ttlMs = options.cacheTtlMs ?? 5 * 60_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const cache = new Map<string, CacheEntry>();

  async function derive(
    cacheKey: string,
    root: RootKeyName,
    label: string,
    fields: readonly string[],
  ): Promise<Uint8Array> {
    const at = now();
    const hit = cache.get(cacheKey);
    if (hit !== undefined && hit.until > at) {
      return hit.key;
    }
    const key = await rootKeys.mac(root, encodeDerivationInput(label, fields));
    cache.delete(cacheKey);
    cache.set(cacheKey, { key, until: at + ttlMs });
    while (cache.size > maxEntries) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      cache.delete(oldest);
    }
    return key;
  }

  return {
    masterCredential(enrollmentId, keyVersion) {
      const version = numberField(keyVersion);
      return derive(
        JSON.stringify(['enr', enrollmentId, version]),
        'enrollment',
        MASTER_CREDENTIAL_LABEL,
        [enrollmentId, version],
      );
    },
    registrationSecret({ aei, salt, generation }) {
      const fields = [aei, aei, salt, numberField(generation)];
      return derive(
        JSON.stringify(['reg', ...fields]),
        'registration',
        REGISTRATION_SECRET_LABEL,
        fields,
      );
    },
    operatorCredential(version) {
      const field = numberField(version);
      return derive(
        JSON.stringify(['adm', field]),
        'enrollment',
        OPERATOR_CREDENTIAL_LABEL,
        [field],
      );
    },
    forgetRegistration(aei) {
      const prefix = JSON.stringify(['reg', aei]).slice(0, -1);
      for (const cacheKey of cache.keys()) {
        if (cacheKey.startsWith(`${prefix},`)) {
          cache.delete(cacheKey);
        }
      }
    },
  };
}
