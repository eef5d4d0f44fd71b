import { createHash } from 'node:crypto';
import { MemoryAuditLog } from '#registrar/adapters/memory/audit-log.ts';
import { RecordingLogger } from '#registrar/adapters/memory/logger.ts';
import { MemoryRegistrationStore } from '#registrar/adapters/memory/store.ts';
import { MemoryExpiryTimers } from '#registrar/adapters/memory/timers.ts';
import { readRegistrarSettings } from '#registrar/commons/settings.ts';
import type { HttpRequest, HttpResponse } from '#registrar/onem2m/message.ts';
import type {
  Authenticator,
  Principal,
} from '#registrar/ports/authenticator.ts';
import type { CredentialIssuer } from '#registrar/ports/credentials.ts';
import {
  openAuthenticator,
  openCredentialIssuer,
} from '#registrar/registrar/open-access.ts';
import {
  createRegistrar,
  type RegistrarDependencies,
} from '#registrar/registrar/registrar.ts';

/** 2026-01-01T00:00:00Z, the fake clock's start. */
export const START = Date.UTC(2026, 0, 1);

/** Default lifetime of the test settings (1 hour), ms. */
export const DEFAULT_LIFETIME_MS = 3600_000;

/** Maximum lifetime of the test settings (1 day), ms. */
export const MAX_LIFETIME_MS = 86_400_000;

/** A clock the test moves by hand. */
export class FakeClock {
  public time = START;

  public now(): number {
    return this.time;
  }

  public advance(ms: number): void {
    this.time += ms;
  }
}

/** A registrar over in-memory adapters, with everything reachable. */
export function harness(overrides: Partial<RegistrarDependencies> = {}) {
  const store = new MemoryRegistrationStore();
  const timers = new MemoryExpiryTimers();
  const audit = new MemoryAuditLog();
  const logger = new RecordingLogger();
  const clock = new FakeClock();
  let counter = 0;
  const deps: RegistrarDependencies = {
    settings: readRegistrarSettings({
      M2M_SECURITY: 'open',
      M2M_DEFAULT_LIFETIME_S: '3600',
      M2M_MAX_LIFETIME_S: '86400',
    }),
    store,
    timers,
    audit,
    authenticator: openAuthenticator,
    credentials: openCredentialIssuer,
    clock,
    logger,
    randomBytes: (size) => {
      counter += 1;
      const seed = createHash('sha512').update(String(counter)).digest();
      return new Uint8Array(size).map((_, i) => seed[i % seed.length] ?? 0);
    },
    ...overrides,
  };
  const registrar = createRegistrar(deps);
  return { registrar, store, timers, audit, logger, clock, deps };
}

/** An authenticator that always answers `principal`. */
export function authenticatorFor(principal: Principal): Authenticator {
  return { authenticate: async () => principal };
}

/** A credential issuer that hands out a fixed member. */
export const fixedCredentials: CredentialIssuer = {
  issue: async (registration) => ({
    kid: `reg:${registration.aei}:${registration.generation}`,
    key: 'c2VjcmV0LWtleS1tYXRlcmlhbA',
    alg: 'hmac-sha256',
    et: 'x',
    ttl: 1,
  }),
};

/** Parts of a request; everything left out has a sensible default. */
export interface RequestParts {
  method?: string;
  path?: string;
  query?: string;
  headers?: Record<string, string | undefined>;
  body?: unknown;
  rawBody?: Uint8Array;
}

/** A request with RI `r1`, RVI `3`, and a JSON body when one is given. */
export function request(parts: RequestParts = {}): HttpRequest {
  const body =
    parts.rawBody ??
    (parts.body === undefined
      ? undefined
      : new TextEncoder().encode(JSON.stringify(parts.body)));
  return {
    method: parts.method ?? 'GET',
    path: parts.path ?? '/cse-in',
    query: parts.query ?? '',
    headers: {
      'x-m2m-ri': 'r1',
      'x-m2m-rvi': '3',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...parts.headers,
    },
    body,
  };
}

/** A valid `m2m:ae` for a Create, with `extra` merged in. */
export function aeBody(extra: Record<string, unknown> = {}) {
  return {
    'm2m:ae': {
      api: 'Nlight-switch',
      rr: true,
      srv: ['3'],
      ...extra,
    },
  };
}

/** A Create `<AE>` request from `origin` (absent when `undefined`). */
export function createRequest(
  origin: string | undefined,
  body: unknown = aeBody(),
  parts: RequestParts = {},
): HttpRequest {
  return request({
    method: 'POST',
    path: '/cse-in',
    body,
    ...parts,
    headers: {
      'content-type': 'application/json;ty=2',
      ...(origin === undefined ? {} : { 'x-m2m-origin': origin }),
      ...parts.headers,
    },
  });
}

/** The parsed JSON body of `response`. */
// biome-ignore lint/suspicious/noExplicitAny: tests walk response JSON freely
export function json(response: HttpResponse): Record<string, any> {
  return JSON.parse(response.body ?? 'null');
}

/** The `X-M2M-RSC` of `response` as a number. */
export function rsc(response: HttpResponse): number {
  return Number(response.headers['X-M2M-RSC']);
}
