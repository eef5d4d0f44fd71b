import { CREDENTIAL_MEMBER } from '#registrar/client/credential-member.ts';
import { maskSecret } from '#registrar/client/mask.ts';
import type { PreparedRequest } from '#registrar/client/request.ts';
import type { OneM2mResponse } from '#registrar/client/transport.ts';

/** Response headers worth showing; the rest is transport noise. */
const shownResponseHeaders = [
  'x-m2m-rsc',
  'x-m2m-ri',
  'x-m2m-rvi',
  'content-type',
  'content-location',
];

/**
 * An HTTP exchange as text: request line, headers and body, then status,
 * oneM2M headers and body, with every key in the body masked.
 *
 * The request carries no secret (a signature is a MAC, not a key); the
 * answer to a registration or rotation carries the registration secret in
 * `m2m-registrar:cred`, which is masked here.
 */
export function formatExchange(
  request: PreparedRequest,
  response: OneM2mResponse,
): string {
  const url = new URL(request.url);
  const lines = [
    `${request.method} ${url.pathname}${url.search} HTTP/1.1`,
    `Host: ${url.host}`,
    ...Object.entries(request.headers).map(
      ([name, value]) => `${name}: ${value}`,
    ),
    ...(request.body === undefined ? [] : ['', request.body]),
    '',
    `HTTP/1.1 ${response.status}`,
    ...shownResponseHeaders
      .filter((name) => response.headers[name] !== undefined)
      .map((name) => `${name}: ${response.headers[name]}`),
    ...(response.body === undefined
      ? []
      : ['', JSON.stringify(maskBody(response.body), null, 2)]),
  ];
  return `${lines.join('\n')}\n`;
}

/** `body` with the key of its credential member masked. */
export function maskBody(
  body: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  const member = body[CREDENTIAL_MEMBER];
  if (typeof member !== 'object' || member === null) {
    return body;
  }
  const { key } = member as { key?: unknown };
  return {
    ...body,
    [CREDENTIAL_MEMBER]: {
      ...member,
      key: typeof key === 'string' ? maskSecret(key) : key,
    },
  };
}
