import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLocalSettings } from '#registrar/commons/settings.ts';
import { createJsonLogger } from '#registrar/local/logger.ts';
import {
  type LocalRuntime,
  startLocalRuntime,
} from '#registrar/local/runtime.ts';

/** A temporary data folder that {@link removeDataDir} deletes. */
export function temporaryDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'm2m-integration-'));
}

/** Deletes a folder made by {@link temporaryDataDir}. */
export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Starts the embedded registrar in this process on a free loopback port,
 * open mode, on `dataDir`. Only errors are logged, so that a failing test
 * shows the cause.
 */
export function startRegistrar(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<LocalRuntime> {
  const settings = readLocalSettings({
    M2M_PORT: '0',
    M2M_SECURITY: 'open',
    M2M_DATA_DIR: dataDir,
    ...env,
  });
  return startLocalRuntime(settings, {
    logger: createJsonLogger('error'),
    timerPollIntervalMs: 200,
  });
}

/** What a oneM2M request over HTTP needs, beyond method and path. */
export interface M2mRequest {
  readonly origin?: string;
  readonly ri?: string;
  readonly rvi?: string;
  /** Sent as `;ty=<ty>` in the Content-Type. */
  readonly ty?: number;
  /** A JSON value, or a raw string or byte body sent as is. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A response, with its oneM2M code and JSON body read. */
export interface M2mResponse {
  readonly status: number;
  readonly rsc: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown> | undefined;
}

let counter = 0;

/** Sends one oneM2M request with the usual headers filled in. */
export async function m2m(
  url: string,
  method: string,
  path: string,
  request: M2mRequest = {},
): Promise<M2mResponse> {
  counter += 1;
  const headers: Record<string, string> = {
    'X-M2M-RI': request.ri ?? `req-${counter}`,
    'X-M2M-RVI': request.rvi ?? '4',
    Accept: 'application/json',
    ...(request.origin === undefined ? {} : { 'X-M2M-Origin': request.origin }),
  };
  let body: string | Uint8Array | undefined;
  if (request.body !== undefined) {
    headers['Content-Type'] =
      request.ty === undefined
        ? 'application/json'
        : `application/json;ty=${request.ty}`;
    body =
      typeof request.body === 'string' || request.body instanceof Uint8Array
        ? request.body
        : JSON.stringify(request.body);
  }
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { ...headers, ...request.headers },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return {
    status: response.status,
    rsc: Number(response.headers.get('x-m2m-rsc')),
    headers: response.headers,
    body:
      text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>),
  };
}

/** The `m2m:ae` member of a response body. */
export function aeOf(response: M2mResponse): Record<string, unknown> {
  return (response.body?.['m2m:ae'] ?? {}) as Record<string, unknown>;
}

/** The AE of onem2m.md section 9, with `changes` applied. */
export function lightApp(
  changes: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    'm2m:ae': {
      rn: 'lightApp',
      api: 'Nlight-switch',
      rr: true,
      srv: ['4'],
      poa: ['http://127.0.0.1:9990'],
      ...changes,
    },
  };
}

/** Registers {@link lightApp} (with `changes`) and returns the response. */
export function register(
  url: string,
  changes: Record<string, unknown> = {},
  origin?: string,
): Promise<M2mResponse> {
  return m2m(url, 'POST', '/cse-in', {
    ty: 2,
    body: lightApp(changes),
    ...(origin === undefined ? {} : { origin }),
  });
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
