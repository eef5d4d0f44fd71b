import { readLocalSettings } from '#registrar/commons/settings.ts';
import { createJsonLogger } from '#registrar/local/logger.ts';
import {
  type LocalRuntime,
  startLocalRuntime,
} from '#registrar/local/runtime.ts';
import { signRequest } from '#registrar/security/http-signature.ts';
import { readSecuritySettings } from '#registrar/security/security-settings.ts';

/** A signed-mode server on a free loopback port, with its log lines. */
export interface SignedServer {
  readonly runtime: LocalRuntime;
  readonly url: string;
  /** Every JSON log line the server wrote, at debug level. */
  readonly logs: string[];
}

/**
 * Starts the embedded registrar in signed mode on `dataDir`; `env` sets
 * registrar and signed-mode settings (`M2M_LOCKOUT_S`, ...).
 */
export async function startSignedServer(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<SignedServer> {
  const logs: string[] = [];
  const all = { M2M_PORT: '0', M2M_DATA_DIR: dataDir, ...env };
  const runtime = await startLocalRuntime(readLocalSettings(all), {
    logger: createJsonLogger('debug', (line) => logs.push(line)),
    security: readSecuritySettings(all),
    timerPollIntervalMs: 200,
  });
  return { runtime, url: runtime.url, logs };
}

/** A key to sign with, and how to tamper with the signed request. */
export interface Signing {
  readonly keyid: string;
  readonly key: Uint8Array;
  /** Epoch seconds; defaults to now. */
  readonly created?: number;
  readonly nonce?: string;
  /** Header changes after signing (`undefined` removes a header). */
  readonly after?: Readonly<Record<string, string | undefined>>;
  /** A body sent instead of the signed one (tampering). */
  readonly sentBody?: string;
}

/** One request to the signed server. */
export interface SignedRequest {
  readonly origin?: string;
  readonly ty?: number;
  readonly body?: unknown;
  readonly query?: string;
  /** Absent: the request goes unsigned. */
  readonly signing?: Signing;
}

/** A response with its oneM2M code and JSON body. */
export interface Reply {
  readonly status: number;
  readonly rsc: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests walk response JSON freely
  readonly body: any;
  readonly text: string;
}

let counter = 0;

/** Sends a oneM2M request, signed as `request.signing` says. */
export async function send(
  url: string,
  method: string,
  path: string,
  request: SignedRequest = {},
): Promise<Reply> {
  counter += 1;
  const body =
    request.body === undefined ? undefined : JSON.stringify(request.body);
  let headers: Record<string, string | undefined> = {
    'X-M2M-RI': `sec-${counter}`,
    'X-M2M-RVI': '4',
    Accept: 'application/json',
    ...(request.origin === undefined ? {} : { 'X-M2M-Origin': request.origin }),
    ...(body === undefined
      ? {}
      : {
          'Content-Type':
            request.ty === undefined
              ? 'application/json'
              : `application/json;ty=${request.ty}`,
        }),
  };
  const query = request.query ?? '';
  const { signing } = request;
  if (signing !== undefined) {
    const added = signRequest(
      { method, path, query, headers, body },
      {
        keyid: signing.keyid,
        key: signing.key,
        ...(signing.created === undefined ? {} : { created: signing.created }),
        ...(signing.nonce === undefined ? {} : { nonce: signing.nonce }),
      },
    );
    headers = { ...headers, ...added, ...signing.after };
  }
  const sent = signing?.sentBody ?? body;
  const response = await fetch(`${url}${path}${query ? `?${query}` : ''}`, {
    method,
    headers: Object.fromEntries(
      Object.entries(headers).filter(([, value]) => value !== undefined),
    ) as Record<string, string>,
    ...(sent === undefined ? {} : { body: sent }),
  });
  const text = await response.text();
  return {
    status: response.status,
    rsc: Number(response.headers.get('x-m2m-rsc')),
    body: text === '' ? undefined : JSON.parse(text),
    text,
  };
}

/** A Create `<AE>` body. */
export function aeBody(changes: Record<string, unknown> = {}) {
  return {
    'm2m:ae': { api: 'Nmeter', rr: false, srv: ['4'], ...changes },
  };
}

/** Bytes of a base64url key. */
export function keyBytes(base64url: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64url, 'base64url'));
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
