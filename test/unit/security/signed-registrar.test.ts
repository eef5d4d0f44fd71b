import { beforeEach, describe, expect, it } from 'vitest';
import { inMemoryRootKeys } from '#registrar/adapters/embedded/key-file.ts';
import { MemoryEnrollmentStore } from '#registrar/adapters/memory/enrollment-store.ts';
import { MemoryFailureCounters } from '#registrar/adapters/memory/failure-counters.ts';
import { MemoryReplayGuard } from '#registrar/adapters/memory/replay-guard.ts';
import type { HttpRequest } from '#registrar/onem2m/message.ts';
import { parseTimestamp } from '#registrar/onem2m/timestamp.ts';
import { DerivedCredentialIssuer } from '#registrar/security/credential-issuer.ts';
import {
  createKeyDerivation,
  type KeyDerivation,
} from '#registrar/security/derivation.ts';
import { enrollmentPolicyLookup } from '#registrar/security/enrollment-policy.ts';
import { signRequest } from '#registrar/security/http-signature.ts';
import { ROTATION_PATH } from '#registrar/security/rotation.ts';
import { SignedAuthenticator } from '#registrar/security/signed-authenticator.ts';
import {
  aeBody,
  createRequest,
  harness,
  json,
  request,
  rsc,
  START,
} from '../registrar/harness.ts';

let derivation: KeyDerivation;
let h: ReturnType<typeof harness>;
let counter = 0;

beforeEach(async () => {
  derivation = createKeyDerivation(
    inMemoryRootKeys({
      enrollment: new Uint8Array(32).fill(3),
      registration: new Uint8Array(32).fill(4),
    }),
  );
  const enrollments = new MemoryEnrollmentStore();
  await enrollments.insert({
    id: 'plant-7',
    originators: ['Csensor-*'],
    apps: ['Nlight-*'],
    defaultLifetimeS: 600,
    maxLifetimeS: 3600,
    targets: [],
    state: 'active',
    keyVersion: 1,
    createdAt: START,
  });
  const authenticatorSlot: { current?: SignedAuthenticator } = {};
  h = harness({
    authenticator: {
      authenticate: (req) =>
        (authenticatorSlot.current as SignedAuthenticator).authenticate(req),
    },
    credentials: new DerivedCredentialIssuer(derivation),
    enrollmentPolicy: enrollmentPolicyLookup(enrollments),
    rotationGraceS: 60,
  });
  authenticatorSlot.current = new SignedAuthenticator({
    derivation,
    enrollments,
    registrations: h.store,
    replay: new MemoryReplayGuard(),
    failures: new MemoryFailureCounters(),
    lockout: { threshold: 5, lockoutMs: 60_000, baseDelayMs: 1000 },
    clock: h.clock,
    logger: h.logger,
    clockSkewS: 300,
    adminKeyVersion: 1,
  });
});

function sign(req: HttpRequest, keyid: string, key: Uint8Array): HttpRequest {
  counter += 1;
  const added = signRequest(req, {
    keyid,
    key,
    created: Math.floor(h.clock.now() / 1000),
    nonce: `unit-nonce-${counter}-abcdefgh`,
  });
  const headers = { ...req.headers };
  for (const [name, value] of Object.entries(added)) {
    headers[name.toLowerCase()] = value;
  }
  return { ...req, headers };
}

async function register() {
  const km = await derivation.masterCredential('plant-7', 1);
  const response = await h.registrar.handle(
    sign(
      createRequest(
        'Csensor-1',
        aeBody({ rn: 'sensor-1', et: '20300101T000000' }),
      ),
      'enr:plant-7:1',
      km,
    ),
  );
  return { response, body: json(response) };
}

function retrieve(keyid: string, key: Uint8Array) {
  return h.registrar.handle(
    sign(
      request({
        path: '/cse-in/sensor-1',
        headers: { 'x-m2m-origin': 'Csensor-1' },
      }),
      keyid,
      key,
    ),
  );
}

function rotate(keyid: string, key: Uint8Array, method = 'POST') {
  return h.registrar.handle(
    sign(
      request({
        method,
        path: ROTATION_PATH,
        headers: { 'x-m2m-origin': 'Csensor-1' },
      }),
      keyid,
      key,
    ),
  );
}

describe('signed registration', () => {
  it('returns the registration secret once, with the clamped et', async () => {
    const { response, body } = await register();

    const cred = body['m2m-registrar:cred'];
    const stored = await h.store.findByAei('Csensor-1');
    const ks = await derivation.registrationSecret(
      stored ?? { aei: '', salt: '', generation: 0 },
    );
    expect(rsc(response)).toBe(2001);
    expect(cred).toEqual({
      kid: 'reg:Csensor-1:0',
      key: Buffer.from(ks).toString('base64url'),
      alg: 'hmac-sha256',
      et: body['m2m:ae'].et,
      ttl: 3600,
    });
    expect(parseTimestamp(cred.et)).toBe(START + 3_600_000);
  });

  it('answers 4126 for an originator outside the enrollment', async () => {
    const km = await derivation.masterCredential('plant-7', 1);

    const response = await h.registrar.handle(
      sign(createRequest('Cintruder', aeBody()), 'enr:plant-7:1', km),
    );

    expect(rsc(response)).toBe(4126);
  });

  it('never shows the secret again on a retrieve', async () => {
    const { body } = await register();
    const ks = Buffer.from(body['m2m-registrar:cred'].key, 'base64url');

    const response = await retrieve('reg:Csensor-1:0', ks);

    expect(rsc(response)).toBe(2000);
    expect(response.body).not.toContain(body['m2m-registrar:cred'].key);
    expect(json(response)['m2m-registrar:cred']).toBeUndefined();
  });
});

describe('credential rotation', () => {
  it('hands out generation + 1 and keeps the old one for its grace period', async () => {
    const { body } = await register();
    const old = Buffer.from(body['m2m-registrar:cred'].key, 'base64url');

    const rotated = await rotate('reg:Csensor-1:0', old);
    const cred = json(rotated)['m2m-registrar:cred'];
    const fresh = Buffer.from(cred.key, 'base64url');
    h.clock.advance(59_000);
    const inGrace = await retrieve('reg:Csensor-1:0', old);
    h.clock.advance(1000);
    const afterGrace = await retrieve('reg:Csensor-1:0', old);
    const withNew = await retrieve('reg:Csensor-1:1', fresh);

    expect(rsc(rotated)).toBe(2004);
    expect(cred).toMatchObject({ kid: 'reg:Csensor-1:1', alg: 'hmac-sha256' });
    expect(fresh.equals(old)).toBe(false);
    expect(rsc(inGrace)).toBe(2000);
    expect(rsc(afterGrace)).toBe(4106);
    expect(json(afterGrace)['m2m:dbg']).toMatch(
      /retired credential generation/,
    );
    expect(rsc(withNew)).toBe(2000);
  });

  it('audits the rotation with the new generation', async () => {
    const { body } = await register();

    await rotate(
      'reg:Csensor-1:0',
      Buffer.from(body['m2m-registrar:cred'].key, 'base64url'),
    );

    const records = await h.audit.list('Csensor-1');
    expect(records.map((record) => record.action)).toEqual([
      'registered',
      'rotated',
    ]);
    expect(records[1]?.details).toEqual({ generation: 1 });
  });

  it('refuses to rotate with the previous generation', async () => {
    const { body } = await register();
    const old = Buffer.from(body['m2m-registrar:cred'].key, 'base64url');
    await rotate('reg:Csensor-1:0', old);

    const again = await rotate('reg:Csensor-1:0', old);

    expect(rsc(again)).toBe(4106);
    expect(json(again)['m2m:dbg']).toMatch(/current generation/);
  });

  it('refuses to rotate with the master credential', async () => {
    await register();
    const km = await derivation.masterCredential('plant-7', 1);

    const response = await rotate('enr:plant-7:1', km);

    expect(rsc(response)).toBe(4106);
  });

  it('answers 4005 to a rotation that is not a POST', async () => {
    const { body } = await register();

    const response = await rotate(
      'reg:Csensor-1:0',
      Buffer.from(body['m2m-registrar:cred'].key, 'base64url'),
      'GET',
    );

    expect(rsc(response)).toBe(4005);
  });
});

describe('credential rotation in open mode', () => {
  it('answers 4005: there is nothing to rotate', async () => {
    const open = harness();

    const response = await open.registrar.handle(
      request({
        method: 'POST',
        path: ROTATION_PATH,
        headers: { 'x-m2m-origin': 'Cx' },
      }),
    );

    expect(rsc(response)).toBe(4005);
  });
});
