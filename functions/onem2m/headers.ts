import {
  BadRequestError,
  NotAcceptableError,
  OperationNotAllowedError,
  ReleaseVersionNotSupportedError,
  RequestTimeoutError,
  UnsupportedMediaTypeError,
} from './errors.ts';
import {
  acceptsJson,
  JSON_MEDIA_TYPES,
  type MediaType,
  parameterValues,
  parseMediaType,
} from './media-type.ts';
import type { HttpRequest } from './message.ts';
import { type Operation, operationOf } from './operation.ts';
import { parseTimestamp } from './timestamp.ts';

/** The releases (`X-M2M-RVI` values) this CSE speaks. */
export const SUPPORTED_RELEASES: readonly string[] = ['2a', '3', '4', '5'];

/** Longest `X-M2M-RI` accepted, in characters. */
export const MAX_REQUEST_ID_LENGTH = 1024;

/**
 * Longest `X-M2M-Origin` accepted, in characters.
 *
 * **choice**: room for an absolute AE-ID (SP-ID, CSE-ID and a 64-character
 * stem) while keeping log lines short.
 */
export const MAX_ORIGINATOR_LENGTH = 256;

const idPart = '[A-Za-z0-9._~-]+';

/**
 * One oneM2M ID of RFC 3986 unreserved characters: CSE-relative (`Cabc`,
 * `id-in`), SP-relative (`/id-in`, `/id-in/Cabc`) or absolute
 * (`//sp.example/id-in`, `//sp.example/id-in/Cabc`). Two values joined
 * by a proxy (`Ca, Cb`) do not match.
 */
const singleId = new RegExp(
  `^(?:(?://${idPart}/${idPart}|/${idPart})(?:/${idPart})?|${idPart})$`,
);

/** The oneM2M request parameters carried in HTTP headers. */
export interface RequestHeaders {
  readonly operation: Operation;
  /** `ty` from `Content-Type`; present exactly on a Create. */
  readonly resourceType: number | undefined;
  /** `X-M2M-RI`. */
  readonly requestId: string;
  /** `X-M2M-RVI`, one of {@link SUPPORTED_RELEASES}. */
  readonly releaseVersion: string;
  /** `X-M2M-Origin`; `undefined` when absent or empty. */
  readonly originator: string | undefined;
}

/** What {@link parseRequestHeaders} has read so far, for the request log. */
export interface HeaderProgress {
  operation?: Operation;
  requestId?: string;
}

/**
 * Reads and checks the oneM2M headers of `request` at time `now`.
 *
 * The checks run in a fixed order, so that a request breaking several rules
 * always gets the same code: method (`4005`), `X-M2M-RI` (`4000`),
 * `X-M2M-RVI` (`4000` for a list, `4001` absent or unsupported),
 * `Content-Type` (`4000` for a bad `ty`, `4015` for a body that is not
 * JSON), `X-M2M-Origin` (`4000` when missing where required, or not a
 * single well-formed ID), `Accept` (`5207`), `X-M2M-RET` (`4000`
 * malformed, `4008` expired). The Create rules on the originator
 * (onem2m.md section 4) come later, in the registration.
 *
 * @param progress filled with the operation and request id as soon as each
 *   is known, so that a later failed check can still be logged with them.
 * @throws {OneM2mError} the first rule broken.
 */
export function parseRequestHeaders(
  request: HttpRequest,
  now: number,
  progress: HeaderProgress = {},
): RequestHeaders {
  const { headers } = request;
  const contentType = readContentType(headers['content-type']);
  const resourceType = readResourceType(contentType);
  const operation = operationOf(request.method, resourceType !== undefined);
  if (operation === undefined) {
    throw new OperationNotAllowedError(
      `method ${printable(request.method)} is not a oneM2M operation`,
    );
  }
  progress.operation = operation;
  const requestId = readRequestId(headers['x-m2m-ri']);
  progress.requestId = requestId;
  const releaseVersion = readReleaseVersion(headers['x-m2m-rvi']);
  checkContentType(contentType, operation, resourceType);
  checkBodyMediaType(contentType, request.body);
  const originator = readOriginator(headers['x-m2m-origin'], resourceType);
  if (!acceptsJson(headers.accept)) {
    throw new NotAcceptableError('only JSON representations are produced');
  }
  checkExpiration(headers['x-m2m-ret'], now);
  return { operation, resourceType, requestId, releaseVersion, originator };
}

/**
 * A header value that can be echoed back safely: visible ASCII and spaces
 * only, so that it cannot split a response header.
 */
export function echoable(value: string | undefined): string | undefined {
  return value !== undefined && /^[\x20-\x7e]{1,1024}$/.test(value)
    ? value
    : undefined;
}

function readContentType(
  value: string | undefined,
): MediaType | 'malformed' | undefined {
  if (value === undefined || value.trim() === '') {
    return undefined;
  }
  return parseMediaType(value) ?? 'malformed';
}

/**
 * `ty` decides between Create and Notify, so it is read before the method
 * check; a malformed `ty` reads as `NaN` and is reported by
 * {@link checkContentType}, after the RI and RVI checks.
 */
function readResourceType(
  contentType: MediaType | 'malformed' | undefined,
): number | undefined {
  if (contentType === undefined || contentType === 'malformed') {
    return undefined;
  }
  const values = parameterValues(contentType, 'ty');
  if (values.length === 0) {
    return undefined;
  }
  const [value = ''] = values;
  return values.length === 1 && /^\d{1,5}$/.test(value) ? Number(value) : NaN;
}

function readRequestId(value: string | undefined): string {
  if (value === undefined || value.trim() === '') {
    throw new BadRequestError('X-M2M-RI is required');
  }
  if (value.length > MAX_REQUEST_ID_LENGTH || echoable(value) === undefined) {
    throw new BadRequestError('X-M2M-RI is too long or not printable');
  }
  return value;
}

function readReleaseVersion(value: string | undefined): string {
  if (value === undefined || value === '') {
    throw new ReleaseVersionNotSupportedError('X-M2M-RVI is required');
  }
  if (value.includes(',')) {
    throw new BadRequestError('X-M2M-RVI must name one release');
  }
  if (!SUPPORTED_RELEASES.includes(value)) {
    throw new ReleaseVersionNotSupportedError(
      `release ${printable(value)} is not supported; use one of ${SUPPORTED_RELEASES.join(', ')}`,
    );
  }
  return value;
}

function checkContentType(
  contentType: MediaType | 'malformed' | undefined,
  operation: Operation,
  resourceType: number | undefined,
): asserts contentType is MediaType | undefined {
  if (contentType === 'malformed') {
    throw new BadRequestError('malformed Content-Type');
  }
  if (Number.isNaN(resourceType)) {
    throw new BadRequestError('ty must be a single whole number');
  }
  if (resourceType !== undefined && operation !== 'create') {
    throw new BadRequestError('ty is only allowed on a Create');
  }
}

function checkBodyMediaType(
  contentType: MediaType | undefined,
  body: Uint8Array | undefined,
): void {
  if (body === undefined || body.length === 0) {
    return;
  }
  if (contentType === undefined) {
    throw new UnsupportedMediaTypeError('a body needs a Content-Type');
  }
  if (!JSON_MEDIA_TYPES.includes(contentType.essence)) {
    throw new UnsupportedMediaTypeError(
      `${printable(contentType.essence)} is not supported; send JSON`,
    );
  }
  const [charset] = parameterValues(contentType, 'charset');
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') {
    throw new UnsupportedMediaTypeError('JSON bodies must be UTF-8');
  }
}

function readOriginator(
  value: string | undefined,
  resourceType: number | undefined,
): string | undefined {
  const originator = value === '' ? undefined : value;
  if (originator === undefined) {
    if (resourceType !== 2) {
      throw new BadRequestError('X-M2M-Origin is required');
    }
    return undefined;
  }
  if (originator.length > MAX_ORIGINATOR_LENGTH || !singleId.test(originator)) {
    throw new BadRequestError('X-M2M-Origin is malformed');
  }
  return originator;
}

function checkExpiration(value: string | undefined, now: number): void {
  if (value === undefined || value === '') {
    return;
  }
  const expiresAt = /^\d{1,15}$/.test(value)
    ? now + Number(value)
    : parseTimestamp(value);
  if (expiresAt === undefined) {
    throw new BadRequestError(
      'X-M2M-RET must be an m2m:timestamp or milliseconds',
    );
  }
  if (expiresAt <= now) {
    throw new RequestTimeoutError('the request expired (X-M2M-RET)');
  }
}

/** `value` cut short and stripped of anything but visible ASCII. */
function printable(value: string): string {
  return value.replace(/[^\x21-\x7e]/g, '?').slice(0, 40);
}
