import { describe, expect, it } from 'vitest';
import type { RootKeys } from '#registrar/ports/keys.ts';

/** Makes root keys; two calls may share keys or not. */
export type RootKeysFactory = () => RootKeys | Promise<RootKeys>;

const message = (text: string) => new TextEncoder().encode(text);

/**
 * The behaviour every {@link RootKeys} shares: HMAC-SHA256, deterministic,
 * one key per root, and the 4096-byte limit of KMS `GenerateMac`.
 */
export function describeRootKeysContract(
  name: string,
  makeKeys: RootKeysFactory,
): void {
  describe(`RootKeys contract: ${name}`, () => {
    it('gives 32 bytes, the same for the same root and message', async () => {
      const keys = await makeKeys();

      const first = await keys.mac('registration', message('m2m'));
      const second = await keys.mac('registration', message('m2m'));

      expect(first).toHaveLength(32);
      expect(Buffer.from(second)).toEqual(Buffer.from(first));
    });

    it('gives different MACs for different roots and different messages', async () => {
      const keys = await makeKeys();

      const macs = await Promise.all([
        keys.mac('enrollment', message('a')),
        keys.mac('registration', message('a')),
        keys.mac('enrollment', message('b')),
      ]);

      const distinct = new Set(
        macs.map((mac) => Buffer.from(mac).toString('hex')),
      );
      expect(distinct.size).toBe(3);
    });

    it('accepts 4096 bytes and refuses 4097', async () => {
      const keys = await makeKeys();

      // Both settled at once: a refusal left unawaited while the other call
      // waits on the network would be reported as an unhandled rejection.
      const [longest, tooLong] = await Promise.allSettled([
        keys.mac('enrollment', new Uint8Array(4096)),
        keys.mac('enrollment', new Uint8Array(4097)),
      ]);

      expect(longest.status === 'fulfilled' && longest.value).toHaveLength(32);
      expect(tooLong.status).toBe('rejected');
    });
  });
}
