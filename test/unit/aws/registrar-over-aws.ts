import { createHmac } from 'node:crypto';
import { createAwsClients } from '#registrar/adapters/aws/clients.ts';
import {
  type AwsRegistrar,
  composeAwsRegistrar,
} from '#registrar/adapters/aws/compose.ts';
import { readAwsSettings } from '#registrar/adapters/aws/settings.ts';
import type { HttpRequest, HttpResponse } from '#registrar/onem2m/message.ts';
import { silentLogger } from '#registrar/ports/logger.ts';
import { createKeyDerivation } from '#registrar/security/derivation.ts';
import { signRequest } from '#registrar/security/http-signature.ts';

/** 2026-03-01T12:00:00Z, the fake clock's start. */
export const START = Date.parse('2026-03-01T12:00:00.000Z');

/** The KMS key ids of the test environment. */
export const ENROLLMENT_KEY_ID = 'alias/m2m-enrollment-root';
export const REGISTRATION_KEY_ID = 'alias/m2m-registration-root';

const environment = {
  M2M_TABLE_NAME: 'm2m-registrar',
  M2M_ENROLLMENT_KEY_ID: ENROLLMENT_KEY_ID,
  M2M_REGISTRATION_KEY_ID: REGISTRATION_KEY_ID,
  M2M_SCHEDULE_GROUP: 'm2m-expiry',
  M2M_SCHEDULER_ROLE_ARN: 'arn:aws:iam::111122223333:role/scheduler',
  M2M_EXPIRY_FUNCTION_ARN:
    'arn:aws:lambda:eu-west-1:111122223333:function:expiry',
  M2M_SCHEDULE_DLQ_ARN: 'arn:aws:sqs:eu-west-1:111122223333:expiry-dlq',
};

/** A clock the test moves by hand. */
export const clock = {
  time: START,
  now(): number {
    return this.time;
  },
};

/**
 * The real registrar composed over the AWS adapters, whose SDK clients
 * the test has mocked (see `FakeCloud`).
 */
export function registrarOverAws(security: 'open' | 'signed'): AwsRegistrar {
  const env = {
    ...environment,
    M2M_SECURITY: security,
    M2M_FORCE_OPEN: security === 'open' ? 'true' : 'false',
    M2M_LOCKOUT_DELAY_MS: '0',
  };
  return composeAwsRegistrar(readAwsSettings(env), {
    clients: createAwsClients({ region: 'eu-west-1' }),
    logger: silentLogger,
    clock,
  });
}

/** A oneM2M request with RI `r1` and RVI `3`; a JSON body when given. */
export function request(parts: {
  method: string;
  path: string;
  origin: string;
  body?: unknown;
  type?: string;
}): HttpRequest {
  const body =
    parts.body === undefined
      ? undefined
      : new TextEncoder().encode(JSON.stringify(parts.body));
  return {
    method: parts.method,
    path: parts.path,
    query: '',
    headers: {
      'x-m2m-origin': parts.origin,
      'x-m2m-ri': 'r1',
      'x-m2m-rvi': '3',
      ...(body === undefined
        ? {}
        : { 'content-type': parts.type ?? 'application/json' }),
    },
    body,
  };
}

/** Create `<AE>` `rn` for `origin`. */
export function createAe(origin: string, rn: string, api = 'Nlight') {
  return request({
    method: 'POST',
    path: '/cse-in',
    origin,
    type: 'application/json;ty=2',
    body: { 'm2m:ae': { rn, api, rr: true, srv: ['3'] } },
  });
}

/** The `X-M2M-RSC` of `response`. */
export function rsc(response: HttpResponse): string | undefined {
  return response.headers['X-M2M-RSC'];
}

/** The derivation the fake KMS answers to: HMAC keyed by the key id. */
export const fakeDerivation = createKeyDerivation({
  mac: async (root, message) =>
    createHmac(
      'sha256',
      Buffer.from(
        root === 'enrollment' ? ENROLLMENT_KEY_ID : REGISTRATION_KEY_ID,
      ),
    )
      .update(message)
      .digest(),
});

/** `unsigned` signed with `key` under `keyid`, at the clock's time. */
export function signed(
  unsigned: HttpRequest,
  keyid: string,
  key: Uint8Array,
): HttpRequest {
  const headers = signRequest(unsigned, {
    keyid,
    key,
    created: Math.floor(clock.now() / 1000),
  });
  return {
    ...unsigned,
    headers: {
      ...unsigned.headers,
      ...(headers['Content-Digest'] === undefined
        ? {}
        : { 'content-digest': headers['Content-Digest'] }),
      'signature-input': headers['Signature-Input'],
      signature: headers.Signature,
    },
  };
}

/** An active enrollment item that lets `C*` register any `N*` app. */
export const enrollmentItem = {
  pk: 'ENR',
  sk: 'plant-7',
  id: 'plant-7',
  originators: ['C*'],
  apps: ['N*'],
  defaultLifetimeS: 3600,
  maxLifetimeS: 86400,
  targets: [],
  state: 'active',
  keyVersion: 1,
  createdAt: START - 86_400_000,
};
