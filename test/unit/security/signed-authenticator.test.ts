import { beforeEach, describe, expect, it } from 'vitest';
import { inMemoryRootKeys } from '#registrar/adapters/embedded/key-file.ts';
import { MemoryEnrollmentStore } from '#registrar/adapters/memory/enrollment-store.ts';
import { MemoryFailureCounters } from '#registrar/adapters/memory/failure-counters.ts';
import { MemoryReplayGuard } from '#registrar/adapters/memory/replay-guard.ts';
import { MemoryRegistrationStore } from '#registrar/adapters/memory/store.ts';
import type { HttpRequest } from '#registrar/onem2m/message.ts';
import type { Enrollment } from '#registrar/ports/enrollments.ts';
import { silentLogger } from '#registrar/ports/logger.ts';
import type { Registration } from '#registrar/registrar/model.ts';
import {
  createKeyDerivation,
  type KeyDerivation,
} from '#registrar/security/derivation.ts';
import { signRequest } from '#registrar/security/http-signature.ts';
import type { SignatureError } from '#registrar/security/signature-error.ts';
import { SignedAuthenticator } from '#registrar/security/signed-authenticator.ts';

const start = 1_700_000_000_000;
const rootKeys = inMemoryRootKeys({
  enrollment: new Uint8Array(32).fill(1),
  registration: new Uint8Array(32).fill(2),
});

const enrollment: Enrollment = {
  id: 'plant-7',
  originators: ['Csensor-*'],
  apps: ['Nmeter'],
  defaultLifetimeS: 3600,
  maxLifetimeS: 86400,
  targets: [],
  state: 'active',
  keyVersion: 1,
  createdAt: start,
};

const registration: Registration = {
  aei: 'Csensor-1',
  rn: 'sensor-1',
  attributes: {},
  createdAt: start,
  modifiedAt: start,
  expiresAt: start + 3_600_000,
  version: 1,
  enrollmentId: 'plant-7',
  salt: 'AAECAwQFBgcICQoLDA0ODw',
  generation: 1,
  previousGenerationUntil: start + 300_000,
};

let now: number;
let enrollments: MemoryEnrollmentStore;
let registrations: MemoryRegistrationStore;
let failures: MemoryFailureCounters;
let derivation: KeyDerivation;
let authenticator: SignedAuthenticator;
let counter: number;

beforeEach(async () => {
  now = start;
  counter = 0;
  enrollments = new MemoryEnrollmentStore();
  registrations = new MemoryRegistrationStore();
  failures = new MemoryFailureCounters();
  await enrollments.insert(enrollment);
  await registrations.insert(registration);
  derivation = createKeyDerivation(rootKeys);
  authenticator = new SignedAuthenticator({
    derivation,
    enrollments,
    registrations,
    replay: new MemoryReplayGuard(),
    failures,
    lockout: { threshold: 3, lockoutMs: 60_000, baseDelayMs: 1000 },
    clock: { now: () => now },
    logger: silentLogger,
    clockSkewS: 300,
    adminKeyVersion: 1,
  });
});

function request(
  keyid: string,
  key: Uint8Array,
  options: { nonce?: string; origin?: string } = {},
): HttpRequest {
  counter += 1;
  const headers: Record<string, string> = {
    'x-m2m-origin': options.origin ?? 'Csensor-1',
    'x-m2m-ri': `req-${counter}`,
  };
  const added = signRequest(
    { method: 'GET', path: '/cse-in/sensor-1', headers },
    {
      keyid,
      key,
      created: Math.floor(now / 1000),
      nonce: options.nonce ?? `nonce-${counter}-0123456789`,
    },
  );
  for (const [name, value] of Object.entries(added)) {
    headers[name.toLowerCase()] = value;
  }
  return {
    method: 'GET',
    path: '/cse-in/sensor-1',
    query: '',
    headers,
    body: undefined,
  };
}

async function refusal(pending: Promise<unknown>): Promise<SignatureError> {
  try {
    await pending;
  } catch (error) {
    return error as SignatureError;
  }
  throw new Error('expected a refusal');
}

const wrongKey = new Uint8Array(32).fill(9);

describe('signed authenticator', () => {
  it('authenticates the master credential as the enrollment with its policy', async () => {
    const km = await derivation.masterCredential('plant-7', 1);

    const principal = await authenticator.authenticate(
      request('enr:plant-7:1', km),
    );

    expect(principal.kind).toBe('enrollment');
    if (principal.kind !== 'enrollment') return;
    expect(principal.enrollmentId).toBe('plant-7');
    expect(principal.policy.allowsOriginator('Csensor-9')).toBe(true);
    expect(principal.policy.allowsApp('Nother')).toBe(false);
    expect(principal.policy.maxLifetimeMs).toBe(86_400_000);
  });

  it('authenticates the current registration secret as the registration', async () => {
    const ks = await derivation.registrationSecret({ ...registration });

    const principal = await authenticator.authenticate(
      request('reg:Csensor-1:1', ks),
    );

    expect(principal).toEqual({
      kind: 'registration',
      aei: 'Csensor-1',
      generation: 1,
    });
  });

  it('accepts the previous generation within its grace period', async () => {
    const old = await derivation.registrationSecret({
      ...registration,
      generation: 0,
    });
    now = start + 299_000;

    const principal = await authenticator.authenticate(
      request('reg:Csensor-1:0', old),
    );

    expect(principal).toMatchObject({ generation: 0 });
  });

  it('refuses the previous generation after its grace period', async () => {
    const old = await derivation.registrationSecret({
      ...registration,
      generation: 0,
    });
    now = start + 300_000;

    const error = await refusal(
      authenticator.authenticate(request('reg:Csensor-1:0', old)),
    );

    expect(error.check).toBe('unknown-keyid');
    expect(error.message).toMatch(/retired credential generation/);
  });

  it('refuses the key version before a rekey as retired', async () => {
    await enrollments.replace({ ...enrollment, keyVersion: 2 });
    const old = await derivation.masterCredential('plant-7', 1);

    const error = await refusal(
      authenticator.authenticate(request('enr:plant-7:1', old)),
    );

    expect(error.check).toBe('unknown-keyid');
    expect(error.message).toMatch(/retired key version/);
  });

  it('authenticates the operator credential as admin', async () => {
    const key = await derivation.operatorCredential(1);

    const principal = await authenticator.authenticate(
      request('adm:1', key, { origin: 'CAdmin' }),
    );

    expect(principal).toEqual({ kind: 'admin' });
  });

  it.each([
    ['an unknown enrollment', 'enr:nobody:1', /no active enrollment/],
    ['a retired key version', 'enr:plant-7:0', /retired key version/],
    ['a future key version', 'enr:plant-7:2', /unknown key version/],
    ['an unknown registration', 'reg:Cnobody:0', /no live registration/],
    ['a future generation', 'reg:Csensor-1:2', /unknown credential generation/],
    ['a retired operator key', 'adm:0', /retired operator key version/],
    ['a future operator key', 'adm:2', /unknown operator key version/],
    [
      'a keyid of no known shape',
      'test-shared-secret',
      /enr:…, reg:… or adm:…/,
    ],
  ])('refuses %s as unknown-keyid', async (_case, keyid, detail) => {
    const error = await refusal(
      authenticator.authenticate(request(keyid, wrongKey)),
    );

    expect(error.check).toBe('unknown-keyid');
    expect(error.rsc).toBe(4106);
    expect(error.message).toMatch(detail);
  });

  it('refuses a disabled enrollment', async () => {
    await enrollments.replace({ ...enrollment, state: 'disabled' });
    const km = await derivation.masterCredential('plant-7', 1);

    const error = await refusal(
      authenticator.authenticate(request('enr:plant-7:1', km)),
    );

    expect(error.message).toMatch(/no active enrollment/);
  });

  it('refuses an expired registration', async () => {
    const ks = await derivation.registrationSecret({ ...registration });
    now = registration.expiresAt;

    const error = await refusal(
      authenticator.authenticate(request('reg:Csensor-1:1', ks)),
    );

    expect(error.message).toMatch(/no live registration/);
  });

  it('refuses a replayed request after accepting it once', async () => {
    const ks = await derivation.registrationSecret({ ...registration });
    const signed = request('reg:Csensor-1:1', ks);
    await authenticator.authenticate(signed);

    const error = await refusal(authenticator.authenticate(signed));

    expect(error.check).toBe('replayed');
  });

  it('does not let a badly signed request use up its nonce', async () => {
    const ks = await derivation.registrationSecret({ ...registration });
    const nonce = 'shared-nonce-0123456789';
    await refusal(
      authenticator.authenticate(
        request('reg:Csensor-1:1', wrongKey, { nonce }),
      ),
    );

    const principal = await authenticator.authenticate(
      request('reg:Csensor-1:1', ks, { nonce }),
    );

    expect(principal.kind).toBe('registration');
  });

  it('never echoes key material in a refusal', async () => {
    const km = await derivation.masterCredential('plant-7', 1);

    const error = await refusal(
      authenticator.authenticate(request('enr:plant-7:1', wrongKey)),
    );

    expect(error.check).toBe('bad-signature');
    for (const secret of [km, wrongKey]) {
      expect(error.message).not.toContain(
        Buffer.from(secret).toString('base64url'),
      );
      expect(error.message).not.toContain(Buffer.from(secret).toString('hex'));
    }
  });
});

describe('master credential lockout', () => {
  async function failOnce(): Promise<SignatureError> {
    return refusal(
      authenticator.authenticate(request('enr:plant-7:1', wrongKey)),
    );
  }

  it('delays the next attempt after a failure, even a good one', async () => {
    const km = await derivation.masterCredential('plant-7', 1);
    await failOnce();
    now += 500;

    const error = await refusal(
      authenticator.authenticate(request('enr:plant-7:1', km)),
    );

    expect(error.check).toBe('throttled');
    expect(error.message).toMatch(/retry in 1 s/);
  });

  it('accepts a good signature once the delay has passed and forgets the failures', async () => {
    const km = await derivation.masterCredential('plant-7', 1);
    await failOnce();
    now += 1000;

    await authenticator.authenticate(request('enr:plant-7:1', km));

    expect(await failures.read('plant-7')).toBeUndefined();
  });

  it('locks the enrollment at the threshold, then opens after the lock time', async () => {
    const km = await derivation.masterCredential('plant-7', 1);
    await failOnce();
    now += 1000;
    await failOnce();
    now += 2000;
    await failOnce();
    now += 59_000;

    const locked = await refusal(
      authenticator.authenticate(request('enr:plant-7:1', km)),
    );
    now += 1000;
    const principal = await authenticator.authenticate(
      request('enr:plant-7:1', km),
    );

    expect(locked.check).toBe('locked');
    expect(principal.kind).toBe('enrollment');
  });

  it('leaves other enrollments alone', async () => {
    await enrollments.insert({ ...enrollment, id: 'plant-8' });
    const other = await derivation.masterCredential('plant-8', 1);
    await failOnce();

    const principal = await authenticator.authenticate(
      request('enr:plant-8:1', other),
    );

    expect(principal).toMatchObject({ enrollmentId: 'plant-8' });
  });

  it('does not count failures under registration secrets', async () => {
    await refusal(
      authenticator.authenticate(request('reg:Csensor-1:1', wrongKey)),
    );

    expect(await failures.read('Csensor-1')).toBeUndefined();
  });
});
