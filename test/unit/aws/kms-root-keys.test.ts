import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { KmsRootKeys } from '#registrar/adapters/aws/kms-root-keys.ts';

const kms = mockClient(KMSClient);

const keyIds = {
  enrollment: 'alias/m2m-enrollment-root',
  registration: 'arn:aws:kms:eu-west-1:111122223333:key/registration',
};

describe('KmsRootKeys', () => {
  beforeEach(() => {
    kms.reset();
  });

  it.each([
    ['enrollment', 'alias/m2m-enrollment-root'],
    ['registration', 'arn:aws:kms:eu-west-1:111122223333:key/registration'],
  ] as const)(
    'sends one GenerateMac with the %s root key',
    async (root, keyId) => {
      const mac = new Uint8Array(32).fill(7);
      kms.on(GenerateMacCommand).resolves({ Mac: mac });
      const keys = new KmsRootKeys(new KMSClient({}), keyIds);
      const message = new TextEncoder().encode('label');

      const result = await keys.mac(root, message);

      expect(result).toEqual(mac);
      expect(kms.commandCalls(GenerateMacCommand)).toHaveLength(1);
      expect(kms.commandCalls(GenerateMacCommand)[0]?.args[0].input).toEqual({
        KeyId: keyId,
        Message: message,
        MacAlgorithm: 'HMAC_SHA_256',
      });
    },
  );

  it('refuses a message longer than 4096 bytes without calling KMS', async () => {
    const keys = new KmsRootKeys(new KMSClient({}), keyIds);

    const attempt = keys.mac('registration', new Uint8Array(4097));

    await expect(attempt).rejects.toThrow(RangeError);
    expect(kms.commandCalls(GenerateMacCommand)).toHaveLength(0);
  });

  it('propagates a KMS failure', async () => {
    kms.on(GenerateMacCommand).rejects(new Error('KMS unavailable'));
    const keys = new KmsRootKeys(new KMSClient({}), keyIds);

    const attempt = keys.mac('enrollment', new Uint8Array(1));

    await expect(attempt).rejects.toThrow('KMS unavailable');
  });
});
