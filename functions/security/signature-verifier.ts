import {
  type BareItem,
  type InnerList,
  type Item,
  parseDictionary,
  serializeInnerList,
} from 'structured-headers';
import { checkContentDigest } from './content-digest.ts';
import {
  bodyBytes,
  hmacSha256,
  lowerCaseHeaders,
  MIN_NONCE_LENGTH,
  macEquals,
  SIGNATURE_ALGORITHM,
  SIGNATURE_LABEL,
  type SignableRequest,
  type SignatureParameters,
  signatureBase,
} from './http-signature.ts';
import { SignatureError } from './signature-error.ts';

/**
 * The verifying side of the RFC 9421 profile (security.md section 3), in
 * two steps: {@link inspectSignature} checks everything that needs no key
 * (shape, coverage, time, digest), then {@link verifyMac} checks the MAC
 * under the key that `keyid` names. Replay is the caller's business, after
 * the MAC is good.
 */

/** The longest `keyid` and `nonce` read, characters. */
const MAX_PARAMETER_LENGTH = 256;

/** A signature that passed {@link inspectSignature}. */
export interface InspectedSignature {
  readonly parameters: SignatureParameters;
  /** The covered components, in their order. */
  readonly components: readonly string[];
  /** The signature bytes sent. */
  readonly signature: Uint8Array;
  /** The signature base the MAC must cover. */
  readonly base: string;
}

/** Server time and tolerance for {@link inspectSignature}. */
export interface FreshnessPolicy {
  /** Server time, epoch milliseconds. */
  readonly now: number;
  /** Accepted clock difference, seconds. */
  readonly clockSkewS: number;
}

/**
 * Parses the `m2m` signature of `request` and checks its shape, its
 * coverage, its time window and the body's `Content-Digest`.
 *
 * Coverage required: `@method`, `@path`, `@query`, `x-m2m-ri`;
 * `x-m2m-origin` when the header is sent; `content-digest` when the header
 * is sent or the body is not empty. Other covered components are allowed
 * when the request has them.
 *
 * The `@signature-params` line of the base is the received inner list
 * re-serialised with its parameters in the order sent (RFC 9421 sections
 * 2.3 and 2.5), so a signer may order them as it likes. Parameters the
 * profile does not use (`tag`, or any other) are accepted and stay in the
 * base, where the MAC covers them; `tag` must be a string as RFC 9421
 * defines it.
 *
 * @throws {SignatureError} naming the first failed check.
 */
export function inspectSignature(
  request: SignableRequest,
  policy: FreshnessPolicy,
): InspectedSignature {
  const headers = lowerCaseHeaders(request.headers);
  const input = signatureInput(headers['signature-input']);
  const signature = signatureValue(headers.signature);
  const components = componentsOf(input);
  const parameters = parametersOf(input[1]);
  checkTime(parameters, policy);
  checkBody(headers['content-digest'], request.body);
  requireCoverage(components, headers, request.body);
  const base = signatureBase(request, components, signatureParams(input));
  if (base === undefined) {
    throw new SignatureError(
      'malformed-signature-input',
      'a covered component is not in the request',
    );
  }
  return { parameters, components, signature, base };
}

/**
 * Checks the MAC of an inspected signature under `key`, in constant time.
 *
 * @throws {SignatureError} `bad-signature`.
 */
export function verifyMac(inspected: InspectedSignature, key: Uint8Array) {
  const expected = hmacSha256(key, inspected.base);
  if (!macEquals(expected, inspected.signature)) {
    throw new SignatureError(
      'bad-signature',
      'the signature does not verify under the key named by keyid',
    );
  }
}

function signatureInput(header: string | undefined): InnerList {
  if (header === undefined) {
    throw new SignatureError(
      'missing-signature',
      'the request has no Signature-Input header',
    );
  }
  const entry = dictionaryEntry(header, 'malformed-signature-input');
  if (entry === undefined) {
    throw new SignatureError(
      'missing-signature',
      `Signature-Input has no "${SIGNATURE_LABEL}" signature`,
    );
  }
  if (!Array.isArray(entry[0])) {
    throw new SignatureError(
      'malformed-signature-input',
      `Signature-Input "${SIGNATURE_LABEL}" is not an inner list`,
    );
  }
  return entry as InnerList;
}

function signatureValue(header: string | undefined): Uint8Array {
  if (header === undefined) {
    throw new SignatureError(
      'missing-signature',
      'the request has no Signature header',
    );
  }
  const entry = dictionaryEntry(header, 'malformed-signature');
  if (entry === undefined) {
    throw new SignatureError(
      'missing-signature',
      `Signature has no "${SIGNATURE_LABEL}" signature`,
    );
  }
  if (!(entry[0] instanceof ArrayBuffer)) {
    throw new SignatureError(
      'malformed-signature',
      `Signature "${SIGNATURE_LABEL}" is not a byte sequence`,
    );
  }
  return new Uint8Array(entry[0]);
}

function dictionaryEntry(
  header: string,
  check: 'malformed-signature-input' | 'malformed-signature',
): Item | InnerList | undefined {
  const name =
    check === 'malformed-signature' ? 'Signature' : 'Signature-Input';
  try {
    return parseDictionary(header).get(SIGNATURE_LABEL);
  } catch {
    throw new SignatureError(check, `${name} is not a structured dictionary`);
  }
}

/**
 * The `@signature-params` value: the inner list as received, re-serialised.
 *
 * Known gap: structured-headers reads a decimal with a zero fraction
 * (`x=1.0`) as the number 1 and writes it back as the integer `1`, so a
 * signature over such a parameter does not verify. No parameter of the
 * profile or of RFC 9421 is a decimal; keeping the received text of the
 * member instead of re-serialising would remove the gap.
 */
function signatureParams(input: InnerList): string {
  return serializeInnerList(input);
}

function componentsOf(input: InnerList): string[] {
  const components: string[] = [];
  for (const [name, parameters] of input[0]) {
    if (typeof name !== 'string' || parameters.size > 0) {
      throw new SignatureError(
        'malformed-signature-input',
        'covered components must be plain strings without parameters',
      );
    }
    if (name !== name.toLowerCase() || components.includes(name)) {
      throw new SignatureError(
        'malformed-signature-input',
        'covered components must be lower-case and appear once',
      );
    }
    components.push(name);
  }
  return components;
}

function parametersOf(parameters: Map<string, BareItem>): SignatureParameters {
  const created = parameters.get('created');
  const expires = parameters.get('expires');
  const nonce = parameters.get('nonce');
  const keyid = parameters.get('keyid');
  const alg = parameters.get('alg');
  const tag = parameters.get('tag');
  if (!isTime(created)) {
    throw malformed('created is required and must be an integer');
  }
  if (expires !== undefined && !isTime(expires)) {
    throw malformed('expires must be an integer');
  }
  if (!isText(nonce) || nonce.length < MIN_NONCE_LENGTH) {
    throw malformed(`nonce is required with ${MIN_NONCE_LENGTH}+ characters`);
  }
  if (!isText(keyid) || keyid === '') {
    throw malformed('keyid is required and must be a string');
  }
  if (tag !== undefined && !isText(tag)) {
    throw malformed('tag must be a string');
  }
  if (alg !== undefined && alg !== SIGNATURE_ALGORITHM) {
    throw new SignatureError(
      'unsupported-algorithm',
      `alg must be "${SIGNATURE_ALGORITHM}"`,
    );
  }
  return { created, expires, nonce, keyid, alg };
}

function requireCoverage(
  components: readonly string[],
  headers: Readonly<Record<string, string | undefined>>,
  body: Uint8Array | string | undefined,
): void {
  const required = ['@method', '@path', '@query', 'x-m2m-ri'];
  if (headers['x-m2m-origin'] !== undefined) {
    required.push('x-m2m-origin');
  }
  if (headers['content-digest'] !== undefined || hasBody(body)) {
    required.push('content-digest');
  }
  const missing = required.filter((name) => !components.includes(name));
  if (missing.length > 0) {
    throw malformed(`the signature must cover ${missing.join(', ')}`);
  }
}

function checkTime(
  parameters: SignatureParameters,
  { now, clockSkewS }: FreshnessPolicy,
): void {
  const nowS = now / 1000;
  if (parameters.created > nowS + clockSkewS) {
    throw new SignatureError(
      'future',
      `created is more than ${clockSkewS} s ahead of server time`,
    );
  }
  if (parameters.created < nowS - clockSkewS) {
    throw new SignatureError(
      'stale',
      `created is more than ${clockSkewS} s behind server time`,
    );
  }
  if (parameters.expires !== undefined && parameters.expires <= nowS) {
    throw new SignatureError('expired', 'the signature has expired');
  }
}

function checkBody(
  header: string | undefined,
  body: Uint8Array | string | undefined,
): void {
  if (header === undefined) {
    if (hasBody(body)) {
      throw new SignatureError(
        'missing-content-digest',
        'a request with a body needs a Content-Digest header',
      );
    }
    return;
  }
  checkContentDigest(header, bodyBytes(body));
}

function malformed(detail: string): SignatureError {
  return new SignatureError('malformed-signature-input', detail);
}

function isTime(value: BareItem | undefined): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function isText(value: BareItem | undefined): value is string {
  return typeof value === 'string' && value.length <= MAX_PARAMETER_LENGTH;
}

function hasBody(body: Uint8Array | string | undefined): boolean {
  return body !== undefined && body.length > 0;
}
