import { describe, expect, it, vi } from 'vitest';
import { inMemoryRootKeys } from '#registrar/adapters/embedded/key-file.ts';
import type { RootKeys } from '#registrar/ports/keys.ts';
import {
  createKeyDerivation,
  encodeDerivationInput,
  numberField,
} from '#registrar/security/derivation.ts';

// Root keys 0x00..0x1f and 0x20..0x3f. The expected values below were
// computed once with node:crypto's createHmac over hand-built buffers and
// are pinned here; they are the cross-adapter contract (KMS must agree).
const enrollmentRoot = Uint8Array.from({ length: 32 }, (_, i) => i);
const registrationRoot = Uint8Array.from({ length: 32 }, (_, i) => i + 32);
const salt = 'AAECAwQFBgcICQoLDA0ODw';

function rootKeys(): RootKeys {
  return inMemoryRootKeys({
    enrollment: enrollmentRoot,
    registration: registrationRoot,
  });
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

describe('encodeDerivationInput', () => {
  it('writes the label, then each field as a 2-byte length and UTF-8', () => {
    const encoded = encodeDerivationInput('L', ['ab', 'ü', '']);

    expect(hex(encoded)).toBe('4c' + '00026162' + '0002c3bc' + '0000');
  });

  it('keeps differently split fields apart', () => {
    const one = encodeDerivationInput('L', ['ab', 'c']);
    const other = encodeDerivationInput('L', ['a', 'bc']);

    expect(hex(one)).not.toBe(hex(other));
  });

  it('refuses a message longer than 4096 bytes', () => {
    expect(() => encodeDerivationInput('L', ['x'.repeat(4096)])).toThrow(
      RangeError,
    );
  });
});

describe('numberField', () => {
  it('writes counters as decimal without leading zeros', () => {
    expect([numberField(0), numberField(7), numberField(120)]).toEqual([
      '0',
      '7',
      '120',
    ]);
  });

  it.each([-1, 1.5, Number.NaN, 2 ** 53])('refuses %s', (value) => {
    expect(() => numberField(value)).toThrow(RangeError);
  });
});

describe('key derivation', () => {
  it('derives the master credential of (demo, 1)', async () => {
    const derivation = createKeyDerivation(rootKeys());

    const km = await derivation.masterCredential('demo', 1);

    expect(hex(km)).toBe(
      '9ba1f47cf29f9b8486be80439b2f681a8d090dedc19ed1c9e4f0c6d78f68b897',
    );
  });

  it('derives the master credential of a non-ASCII id and version 12', async () => {
    const derivation = createKeyDerivation(rootKeys());

    const km = await derivation.masterCredential('enr-ü', 12);

    expect(hex(km)).toBe(
      'a9c17b0594f476a967c2dfac29c248919041b2838fc13b58829e98410248d501',
    );
  });

  it.each([
    [0, 'ab2759148bb4fecf88750055c6b899c589958f738b12ad297b8e890ea92b4b3b'],
    [1, '328f01159c2fc9b018ae2dd11e5d6212b1418331a8e160685646ff599fb310de'],
  ])(
    'derives the registration secret of generation %i',
    async (generation, expected) => {
      const derivation = createKeyDerivation(rootKeys());

      const ks = await derivation.registrationSecret({
        aei: 'Cdemo1',
        salt,
        generation,
      });

      expect(hex(ks)).toBe(expected);
    },
  );

  it('derives the operator credential of version 1', async () => {
    const derivation = createKeyDerivation(rootKeys());

    const key = await derivation.operatorCredential(1);

    expect(hex(key)).toBe(
      '4e530012324df70e4a574a528916644646e2be964d52aef5b8298512405bc053',
    );
  });

  it('gives a new registration of the same stem another secret', async () => {
    const derivation = createKeyDerivation(rootKeys());

    const first = await derivation.registrationSecret({
      aei: 'Cdemo1',
      salt,
      generation: 0,
    });
    const second = await derivation.registrationSecret({
      aei: 'Cdemo1',
      salt: 'AQECAwQFBgcICQoLDA0ODw',
      generation: 0,
    });

    expect(hex(first)).not.toBe(hex(second));
  });
});

describe('key derivation cache', () => {
  function countingKeys(): { keys: RootKeys; calls: () => number } {
    const inner = rootKeys();
    const mac = vi.fn((root, message) => inner.mac(root, message));
    return { keys: { mac }, calls: () => mac.mock.calls.length };
  }

  it('reuses a derived key within its time to live', async () => {
    const { keys, calls } = countingKeys();
    let now = 0;
    const derivation = createKeyDerivation(keys, {
      now: () => now,
      cacheTtlMs: 1000,
    });

    await derivation.masterCredential('demo', 1);
    now = 999;
    await derivation.masterCredential('demo', 1);

    expect(calls()).toBe(1);
  });

  it('derives again once the entry has expired', async () => {
    const { keys, calls } = countingKeys();
    let now = 0;
    const derivation = createKeyDerivation(keys, {
      now: () => now,
      cacheTtlMs: 1000,
    });

    await derivation.masterCredential('demo', 1);
    now = 1000;
    await derivation.masterCredential('demo', 1);

    expect(calls()).toBe(2);
  });

  it('forgets every generation of a registration on request', async () => {
    const { keys, calls } = countingKeys();
    const derivation = createKeyDerivation(keys);
    const inputs = { aei: 'Cdemo1', salt, generation: 0 };
    await derivation.registrationSecret(inputs);
    await derivation.registrationSecret({ ...inputs, aei: 'Cdemo10' });

    derivation.forgetRegistration('Cdemo1');
    await derivation.registrationSecret(inputs);
    await derivation.registrationSecret({ ...inputs, aei: 'Cdemo10' });

    expect(calls()).toBe(3);
  });

  it('keeps at most maxEntries keys', async () => {
    const { keys, calls } = countingKeys();
    const derivation = createKeyDerivation(keys, { maxEntries: 2 });

    await derivation.masterCredential('a', 1);
    await derivation.masterCredential('b', 1);
    await derivation.masterCredential('c', 1);
    await derivation.masterCredential('a', 1);

    expect(calls()).toBe(4);
  });
});
