import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import { MAX_BODY_BYTES } from '#registrar/onem2m/body.ts';
import type { HttpRequest, HttpResponse } from '#registrar/onem2m/message.ts';

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
