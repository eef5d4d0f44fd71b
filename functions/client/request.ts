import { randomUUID } from 'node:crypto';
import { signRequest } from '#registrar/security/http-signature.ts';

/** A key to sign with: the master credential or a registration secret. */
export interface Credential {
  /** `enr:<enrollmentId>:<keyVersion>` or `reg:<aei>:<generation>`. */
  readonly keyid: string;
  /** The 32 key bytes (`Km` or `Ks`). */
  readonly key: Uint8Array;
}

/** One oneM2M request, before headers and signature are added. */
export interface OneM2mRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Target path under the base URL, e.g. `/cse-in/lightApp`. */
  readonly path: string;
  /** Query string without `?`, e.g. `rcn=1`. */
  readonly query?: string;
  /** `X-M2M-Origin`; not sent when absent. */
  readonly origin?: string;
  /** Resource type of a Create, sent as `;ty=<ty>` in `Content-Type`. */
  readonly ty?: number;
  /** A JSON value sent as the body. */
  readonly body?: unknown;
}

/** How {@link prepareRequest} fills in what the request leaves open. */
export interface PrepareOptions {
  /** Signs the request when present; unsigned (open mode) when absent. */
  readonly credential?: Credential | undefined;
  /** `X-M2M-RI`. @default a fresh random UUID */
  readonly requestId?: string;
  /** `X-M2M-RVI`. @default `4` */
  readonly releaseVersion?: string;
}

/** A request ready for `fetch`: URL, every header, the exact body text. */
export interface PreparedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  /** The `X-M2M-RI` sent, to match the answer with. */
  readonly requestId: string;
}

/**
 * Builds the HTTP request for `request` against `baseUrl`, and signs it
 * (RFC 9421, label `m2m`) when a credential is given.
 *
 * The signed `@path` and `@query` are taken from the URL as `fetch` will
 * send it, after WHATWG normalisation, so that the server's signature base
 * matches. A base URL may carry a path prefix; the target path is appended.
 */
export function prepareRequest(
  baseUrl: string,
  request: OneM2mRequest,
  options: PrepareOptions = {},
): PreparedRequest {
  const url = targetUrl(baseUrl, request);
  const requestId = options.requestId ?? randomUUID();
  const body =
    request.body === undefined ? undefined : JSON.stringify(request.body);
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'X-M2M-RI': requestId,
    'X-M2M-RVI': options.releaseVersion ?? '4',
    ...(request.origin === undefined ? {} : { 'X-M2M-Origin': request.origin }),
    ...(body === undefined ? {} : { 'Content-Type': contentType(request) }),
  };
  const signature =
    options.credential === undefined
      ? {}
      : signRequest(
          {
            method: request.method,
            path: url.pathname,
            query: url.search.slice(1),
            headers,
            body,
          },
          { keyid: options.credential.keyid, key: options.credential.key },
        );
  return {
    method: request.method,
    url: url.href,
    headers: { ...headers, ...signature },
    body,
    requestId,
  };
}

function targetUrl(baseUrl: string, request: OneM2mRequest): URL {
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const url = new URL(`${prefix}${request.path}`, base.origin);
  url.search = request.query ?? '';
  return url;
}

function contentType(request: OneM2mRequest): string {
  return request.ty === undefined
    ? 'application/json'
    : `application/json;ty=${request.ty}`;
}
