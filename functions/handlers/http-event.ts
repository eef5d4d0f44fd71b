import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import { MAX_BODY_BYTES } from '#registrar/onem2m/body.ts';
import type { HttpRequest, HttpResponse } from '#registrar/onem2m/message.ts';

/** The most top-level key names {@link eventShape} reports. */
const SHAPE_KEYS = 10;

/**
 * Whether `event` has what {@link toHttpRequest} reads of an HTTP API
 * payload 2.0 event: `requestContext.http.method` and `rawPath`, strings.
 * A direct Invoke or another trigger may send anything else.
 */
export function isHttpApiEvent(
  event: unknown,
): event is APIGatewayProxyEventV2 {
  const candidate = event as {
    rawPath?: unknown;
    requestContext?: { http?: { method?: unknown } };
  } | null;
  return (
    typeof candidate?.rawPath === 'string' &&
    typeof candidate.requestContext?.http?.method === 'string'
  );
}

/**
 * What may be logged of an event that is not an HTTP API request: its
 * type and its first top-level key names, never a value.
 */
export function eventShape(event: unknown): Record<string, unknown> {
  if (event === null || typeof event !== 'object') {
    return { type: event === null ? 'null' : typeof event };
  }
  if (Array.isArray(event)) {
    return { type: 'array', length: event.length };
  }
  return { type: 'object', keys: Object.keys(event).slice(0, SHAPE_KEYS) };
}

/**
 * The request an HTTP API (payload format 2.0) event carries.
 *
 * Header names arrive lower-cased and repeated headers joined with commas,
 * as the pipeline expects; `rawPath` and `rawQueryString` are passed on as
 * received. The body is decoded from base64 when API Gateway encoded it and
 * cut after `MAX_BODY_BYTES + 1` bytes, so the pipeline sees that it is too
 * large; an empty body counts as none, as on the local server.
 */
export function toHttpRequest(event: APIGatewayProxyEventV2): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) {
      headers[name.toLowerCase()] = value;
    }
  }
  return {
    method: event.requestContext.http.method.toUpperCase(),
    path: event.rawPath,
    query: event.rawQueryString ?? '',
    headers,
    body: bodyOf(event),
  };
}

function bodyOf(event: APIGatewayProxyEventV2): Uint8Array | undefined {
  if (event.body === undefined || event.body === '') {
    return undefined;
  }
  const bytes = Buffer.from(
    event.body,
    event.isBase64Encoded ? 'base64' : 'utf8',
  );
  return bytes.subarray(0, MAX_BODY_BYTES + 1);
}

/** The HTTP API result that sends `response`. */
export function toResult(
  response: HttpResponse,
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: response.status,
    headers: { ...response.headers },
    ...(response.body === undefined ? {} : { body: response.body }),
    isBase64Encoded: false,
  };
}

const operationByMethod: Readonly<Record<string, string>> = {
  GET: 'retrieve',
  PUT: 'update',
  DELETE: 'delete',
};

/**
 * The oneM2M operation a request asks for, as a metric dimension: from the
 * method, and for `POST` whether the media type names a resource type.
 */
export function operationOf(request: HttpRequest): string {
  if (request.method === 'POST') {
    const type = request.headers['content-type'] ?? '';
    return /;\s*ty=/i.test(type) ? 'create' : 'notify';
  }
  return operationByMethod[request.method] ?? 'other';
}
