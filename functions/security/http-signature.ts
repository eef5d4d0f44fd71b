import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  type BareItem,
  type Item,
  type Parameters,
  serializeDictionary,
  serializeInnerList,
} from 'structured-headers';
import { contentDigest } from './content-digest.ts';

/**
 * HTTP Message Signatures (RFC 9421) with HMAC-SHA256, as security.md
 * section 3 profiles them: the signing side (AE clients, tests, the
 * registrar's own notifications) and the signature base both sides build.
 *
 * Signing a request:
 *
 * ```ts
 * const added = signRequest(
 *   { method: 'POST', path: '/cse-in', query: '', headers, body },
 *   { keyid: 'enr:demo:1', key: masterCredential },
 * );
 * // send with { ...headers, ...added }
 * ```
 */

/** The signature label of every registrar signature. */
export const SIGNATURE_LABEL = 'm2m';

/** The one algorithm, as named in the `alg` parameter. */
export const SIGNATURE_ALGORITHM = 'hmac-sha256';

/** The shortest nonce the registrar accepts. */
export const MIN_NONCE_LENGTH = 16;

/** A request to sign or verify; header names in any case. */
export interface SignableRequest {
  /** The HTTP method, upper-case. */
  readonly method: string;
  /** The path exactly as sent, still percent-encoded, without the query. */
  readonly path: string;
  /** The query without the leading `?`; empty or absent when none. */
  readonly query?: string | undefined;
  /** The request headers; a header sent twice is joined with `, `. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The exact body bytes (a string is sent as UTF-8); absent when none. */
  readonly body?: Uint8Array | string | undefined;
}

/** The signature parameters of security.md section 3. */
export interface SignatureParameters {
  /** Creation time, epoch seconds. */
  readonly created: number;
  /** Expiry time, epoch seconds, when the signer sets one. */
  readonly expires?: number | undefined;
  readonly nonce: string;
  readonly keyid: string;
  /** Always `hmac-sha256` when present. */
  readonly alg?: string | undefined;
}

/** How {@link signRequest} signs. */
export interface SigningOptions {
  /** `enr:<enrollmentId>:<keyVersion>`, `reg:<aei>:<generation>`, ... */
  readonly keyid: string;
  /** The HMAC key (`Km`, `Ks`), raw bytes. */
  readonly key: Uint8Array;
  /** Epoch seconds; defaults to now. */
  readonly created?: number;
  /** Epoch seconds; no `expires` parameter when absent. */
  readonly expires?: number;
  /** Defaults to 24 random base64url characters. */
  readonly nonce?: string;
  /** Whether to send `alg="hmac-sha256"`; default `true`. */
  readonly includeAlgorithm?: boolean;
}

/** The headers {@link signRequest} adds, in their usual spelling. */
export interface SignatureHeaders {
  /** Present when the request has a non-empty body. */
  readonly 'Content-Digest'?: string;
  readonly 'Signature-Input': string;
  readonly Signature: string;
}

/** Signing was asked for something the profile cannot sign. */
export class SigningError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'SigningError';
  }
}

/**
 * Signs `request` with HMAC-SHA256 under label `m2m` and returns the
 * headers to add: `Content-Digest` (only with a body), `Signature-Input`
 * and `Signature`.
 *
 * Covered: `@method`, `@path`, `@query`, `x-m2m-origin` (when sent),
 * `x-m2m-ri`, `content-digest` (when there is a body).
 *
 * @throws {SigningError} `X-M2M-RI` is missing, or the nonce is shorter
 *   than 16 characters.
 */
export function signRequest(
  request: SignableRequest,
  options: SigningOptions,
): SignatureHeaders {
  const headers = lowerCaseHeaders(request.headers);
  if (headers['x-m2m-ri'] === undefined) {
    throw new SigningError('a signed request needs an X-M2M-RI header');
  }
  const nonce = options.nonce ?? randomBytes(18).toString('base64url');
  if (nonce.length < MIN_NONCE_LENGTH) {
    throw new SigningError('the nonce needs at least 16 characters');
  }
  const body = bodyBytes(request.body);
  const digest = body.length > 0 ? contentDigest(body) : undefined;
  if (digest !== undefined) {
    headers['content-digest'] = digest;
  }
  const components = ['@method', '@path', '@query'];
  if (headers['x-m2m-origin'] !== undefined) {
    components.push('x-m2m-origin');
  }
  components.push('x-m2m-ri');
  if (digest !== undefined) {
    components.push('content-digest');
  }
  const parameters: SignatureParameters = {
    created: options.created ?? Math.floor(Date.now() / 1000),
    expires: options.expires,
    nonce,
    keyid: options.keyid,
    alg: options.includeAlgorithm === false ? undefined : SIGNATURE_ALGORITHM,
  };
  const signatureParams = serializeSignatureParams(components, parameters);
  const base = signatureBase(
    { ...request, headers },
    components,
    signatureParams,
  );
  if (base === undefined) {
    throw new SigningError('a covered header has no value');
  }
  const signature = hmacSha256(options.key, base);
  return {
    ...(digest === undefined ? {} : { 'Content-Digest': digest }),
    'Signature-Input': `${SIGNATURE_LABEL}=${signatureParams}`,
    Signature: serializeDictionary({ [SIGNATURE_LABEL]: signature }),
  };
}

/**
 * The `@signature-params` value this signer sends: the covered components
 * as an inner list with the parameters in the order `created`, `expires`,
 * `nonce`, `keyid`, `alg` (absent ones left out).
 *
 * Signing only: a verifier takes the inner list as received, in the
 * signer's order and with every parameter it carries.
 */
export function serializeSignatureParams(
  components: readonly string[],
  parameters: SignatureParameters,
): string {
  const items: Item[] = components.map((name) => [name, new Map()]);
  const params: Parameters = new Map<string, BareItem>();
  params.set('created', parameters.created);
  if (parameters.expires !== undefined) {
    params.set('expires', parameters.expires);
  }
  params.set('nonce', parameters.nonce);
  params.set('keyid', parameters.keyid);
  if (parameters.alg !== undefined) {
    params.set('alg', parameters.alg);
  }
  return serializeInnerList([items, params]);
}

/**
 * The signature base of RFC 9421 section 2.5: one line
 * `"<component>": <value>` per covered component, then the
 * `"@signature-params"` line, joined by LF without a final LF.
 *
 * Derived components supported: `@method`, `@path` (as sent; empty is
 * `/`), `@query` (with its `?`; `?` alone when there is none) and
 * `@authority` (the `Host` header, lower-case). Any other name is a header
 * field, its value trimmed.
 *
 * @returns `undefined` when a covered component has no value (a header
 *   that was not sent, an unsupported derived component).
 */
export function signatureBase(
  request: SignableRequest,
  components: readonly string[],
  signatureParams: string,
): string | undefined {
  const headers = lowerCaseHeaders(request.headers);
  const lines: string[] = [];
  for (const name of components) {
    const value = componentValue(request, headers, name);
    if (value === undefined) {
      return undefined;
    }
    lines.push(`"${name}": ${value}`);
  }
  lines.push(`"@signature-params": ${signatureParams}`);
  return lines.join('\n');
}

/** HMAC-SHA256 of `base` (UTF-8) under `key`. */
export function hmacSha256(key: Uint8Array, base: string): Buffer {
  return createHmac('sha256', key).update(base, 'utf8').digest();
}

/** Whether two MACs are equal, in time independent of their content. */
export function macEquals(expected: Uint8Array, actual: Uint8Array): boolean {
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function componentValue(
  request: SignableRequest,
  headers: Readonly<Record<string, string | undefined>>,
  name: string,
): string | undefined {
  switch (name) {
    case '@method':
      return request.method;
    case '@path':
      return request.path === '' ? '/' : request.path;
    case '@query':
      return `?${request.query ?? ''}`;
    case '@authority':
      return headers.host?.trim().toLowerCase();
    default:
      return name.startsWith('@') ? undefined : headers[name]?.trim();
  }
}

/** `headers` with lower-case names, absent values left out. */
export function lowerCaseHeaders(
  headers: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  const lower: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) {
      lower[name.toLowerCase()] = value;
    }
  }
  return lower;
}

/** The bytes of a body given as bytes, text (UTF-8) or nothing. */
export function bodyBytes(body: Uint8Array | string | undefined): Uint8Array {
  if (body === undefined) {
    return new Uint8Array();
  }
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}
