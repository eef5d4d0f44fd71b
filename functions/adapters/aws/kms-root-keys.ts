import { GenerateMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { RootKeyName, RootKeys } from '#registrar/ports/keys.ts';

/** The longest message KMS `GenerateMac` accepts, bytes. */
export const MAX_MAC_MESSAGE_BYTES = 4096;

/** The KMS key (id, ARN or alias) of each root. */
export type RootKeyIds = Readonly<Record<RootKeyName, string>>;

/**
 * {@link RootKeys} over two KMS `HMAC_256` keys: each `mac` is exactly one
 * `GenerateMac` call, so the root keys never leave KMS.
 */
export class KmsRootKeys implements RootKeys {
  readonly #client: KMSClient;
  readonly #keyIds: RootKeyIds;

  /** Uses `client` and the key of each root in `keyIds`. */
  public constructor(client: KMSClient, keyIds: RootKeyIds) {
    this.#client = client;
    this.#keyIds = keyIds;
  }

  /** @inheritdoc */
  public async mac(
    root: RootKeyName,
    message: Uint8Array,
  ): Promise<Uint8Array> {
    if (message.byteLength > MAX_MAC_MESSAGE_BYTES) {
      throw new RangeError(
        `MAC message of ${message.byteLength} bytes exceeds 4096`,
      );
    }
    const output = await this.#client.send(
      new GenerateMacCommand({
        KeyId: this.#keyIds[root],
        Message: message,
        MacAlgorithm: 'HMAC_SHA_256',
      }),
    );
    if (output.Mac === undefined) {
      throw new Error('KMS GenerateMac returned no MAC');
    }
    return output.Mac;
  }
}
