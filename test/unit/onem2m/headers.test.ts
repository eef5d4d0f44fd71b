import { describe, expect, it } from 'vitest';
import { parseRequestHeaders } from '#registrar/onem2m/headers.ts';
import type { HttpRequest } from '#registrar/onem2m/message.ts';
import { formatTimestamp } from '#registrar/onem2m/timestamp.ts';

const now = Date.UTC(2026, 0, 1, 12, 0, 0);
const json = new TextEncoder().encode('{}');

function request(
  method: string,
  headers: Record<string, string | undefined>,
  body?: Uint8Array,
): HttpRequest {
  return {
    method,
    path: '/cse-in',
    query: '',
    headers: {
      'x-m2m-ri': 'r1',
      'x-m2m-rvi': '4',
      'x-m2m-origin': 'Cabc',
      ...headers,
    },
    body,
  };
}

function codeOf(action: () => unknown): number | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return (error as { rsc?: number }).rsc;
  }
}

function messageOf(action: () => unknown): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('request headers', () => {
  it.each([
    ['POST', 'application/json;ty=2', 'create'],
    ['POST', 'application/json', 'notify'],
    ['POST', undefined, 'notify'],
    ['GET', undefined, 'retrieve'],
    ['PUT', 'application/json', 'update'],
    ['DELETE', undefined, 'delete'],
  ])('reads %s with Content-Type %s as %s', (method, type, operation) => {
    const sent = request(method, { 'content-type': type });

    const headers = parseRequestHeaders(sent, now);

    expect(headers.operation).toBe(operation);
  });

  it.each(['PATCH', 'HEAD', 'OPTIONS'])('returns 4005 for %s', (method) => {
    expect(codeOf(() => parseRequestHeaders(request(method, {}), now))).toBe(
      4005,
    );
  });

  it('reads ty, RI, RVI and the originator', () => {
    const sent = request('POST', {
      'content-type': 'application/vnd.onem2m-res+json; ty=2',
      'x-m2m-ri': 'req-7',
      'x-m2m-rvi': '2a',
      'x-m2m-origin': 'Cme',
    });

    const headers = parseRequestHeaders(sent, now);

    expect(headers).toEqual({
      operation: 'create',
      resourceType: 2,
      requestId: 'req-7',
      releaseVersion: '2a',
      originator: 'Cme',
    });
  });

  it.each([undefined, ''])('returns 4000 when X-M2M-RI is %j', (ri) => {
    const sent = request('GET', { 'x-m2m-ri': ri });

    expect(codeOf(() => parseRequestHeaders(sent, now))).toBe(4000);
  });

  it.each([undefined, '', '1', '2', '6', 'x'])(
    'returns 4001 when X-M2M-RVI is %j',
    (rvi) => {
      const sent = request('GET', { 'x-m2m-rvi': rvi });

      expect(codeOf(() => parseRequestHeaders(sent, now))).toBe(4001);
    },
  );

  it.each(['2a', '3', '4', '5'])('accepts release %s', (rvi) => {
    const sent = request('GET', { 'x-m2m-rvi': rvi });

    expect(parseRequestHeaders(sent, now).releaseVersion).toBe(rvi);
  });

  it.each([
    ['a ty that is not a number', 'POST', 'application/json;ty=ae'],
    ['a negative ty', 'POST', 'application/json;ty=-2'],
    ['a repeated ty', 'POST', 'application/json;ty=2;ty=2'],
    ['ty on a Retrieve', 'GET', 'application/json;ty=2'],
    ['ty on an Update', 'PUT', 'application/json;ty=2'],
    ['ty on a Delete', 'DELETE', 'application/json;ty=2'],
    ['a malformed Content-Type', 'PUT', 'json'],
  ])('returns 4000 for %s', (_case, method, type) => {
    const sent = request(method, { 'content-type': type }, json);

    expect(codeOf(() => parseRequestHeaders(sent, now))).toBe(4000);
  });

  it.each([
    ['a body without Content-Type', undefined],
    ['an XML body', 'application/xml;ty=2'],
    ['a CBOR body', 'application/cbor;ty=2'],
    ['a JSON body in Latin-1', 'application/json;ty=2;charset=iso-8859-1'],
  ])('returns 4015 for %s', (_case, type) => {
    const sent = request('POST', { 'content-type': type }, json);

    expect(codeOf(() => parseRequestHeaders(sent, now))).toBe(4015);
  });

  it('accepts a JSON body declared as UTF-8', () => {
    const type = 'application/json; charset="UTF-8"; ty=2';
    const sent = request('POST', { 'content-type': type }, json);

    expect(parseRequestHeaders(sent, now).resourceType).toBe(2);
  });

  it.each([undefined, ''])(
    'allows X-M2M-Origin %j on a Create of an AE',
    (origin) => {
      const sent = request('POST', {
        'content-type': 'application/json;ty=2',
        'x-m2m-origin': origin,
      });

      expect(parseRequestHeaders(sent, now).originator).toBeUndefined();
    },
  );

  it.each([
    ['GET', undefined],
    ['PUT', undefined],
    ['DELETE', undefined],
    ['POST', 'application/json;ty=3'],
    ['POST', 'application/json'],
  ])('returns 4000 for %s (%s) without X-M2M-Origin', (method, type) => {
    const sent = request(method, {
      'content-type': type,
      'x-m2m-origin': '',
    });

    expect(codeOf(() => parseRequestHeaders(sent, now))).toBe(4000);
  });

  it.each([
    undefined,
    'application/json',
    'application/vnd.onem2m-res+json',
    'application/*',
    '*/*',
    'application/xml, application/json;q=0.5',
  ])('accepts Accept %j', (accept) => {
    const sent = request('GET', { accept });

    expect(codeOf(() => parseRequestHeaders(sent, now))).toBeUndefined();
  });

  it.each([
    'application/xml',
    'application/cbor',
    'text/html',
    'application/json;q=0',
  ])('returns 5207 for Accept %j', (accept) => {
    const sent = request('GET', { accept });

    expect(codeOf(() => parseRequestHeaders(sent, now))).toBe(5207);
  });

  it.each([
    ['an absolute time in the future', formatTimestamp(now + 1000)],
    ['a relative time in milliseconds', '5000'],
  ])('accepts X-M2M-RET as %s', (_case, ret) => {
    const sent = request('GET', { 'x-m2m-ret': ret });

    expect(codeOf(() => parseRequestHeaders(sent, now))).toBeUndefined();
  });

  it.each([
    ['an absolute time in the past', formatTimestamp(now - 1)],
    ['an absolute time of now', formatTimestamp(now)],
    ['zero milliseconds', '0'],
  ])('returns 4008 when X-M2M-RET is %s', (_case, ret) => {
    const sent = request('GET', { 'x-m2m-ret': ret });

    expect(codeOf(() => parseRequestHeaders(sent, now))).toBe(4008);
  });

  it.each(['tomorrow', '2026-01-01T12:00:00Z', '-5'])(
    'returns 4000 when X-M2M-RET is %j',
    (ret) => {
      const sent = request('GET', { 'x-m2m-ret': ret });

      expect(codeOf(() => parseRequestHeaders(sent, now))).toBe(4000);
    },
  );

  it('checks RI before RVI, and RVI before Content-Type', () => {
    const both = request('POST', {
      'x-m2m-ri': undefined,
      'x-m2m-rvi': '9',
      'content-type': 'application/json;ty=x',
    });
    const rviAndType = request('POST', {
      'x-m2m-rvi': '9',
      'content-type': 'application/json;ty=x',
    });

    expect(codeOf(() => parseRequestHeaders(both, now))).toBe(4000);
    expect(codeOf(() => parseRequestHeaders(rviAndType, now))).toBe(4001);
  });

  it('records the operation and request id before a later check fails', () => {
    const sent = request('GET', { accept: 'application/cbor' });
    const progress = {};

    const code = codeOf(() => parseRequestHeaders(sent, now, progress));

    expect(code).toBe(5207);
    expect(progress).toEqual({ operation: 'retrieve', requestId: 'r1' });
  });

  it.each([
    ['two joined stems', 'Ca, Cb'],
    ['two stems joined without a space', 'Ca,Cb'],
    ['a space', 'C a'],
    ['a slash inside a stem', 'C/x'],
    ['a trailing slash', '/id-in/'],
    ['an SP-ID alone', '//example.com'],
    ['three leading slashes', '///id-in'],
    ['an empty segment', '/id-in//Ca'],
    ['too many segments', '/id-in/Ca/Cb'],
    ['a non-ASCII letter', 'Cl\u00e9'],
    ['257 characters', `C${'a'.repeat(256)}`],
  ])('returns 4000 for an originator with %s', (_case, origin) => {
    const sent = request('GET', { 'x-m2m-origin': origin });

    expect(messageOf(() => parseRequestHeaders(sent, now))).toBe(
      'X-M2M-Origin is malformed',
    );
  });

  it.each([
    'Cabc',
    'S_x~y.z-1',
    'id-in',
    'Xlight',
    '/id-in',
    '/id-in/Cabc',
    '//example.com/id-in',
    '//example.com/id-in/Cabc',
  ])('accepts the well-formed originator %j', (origin) => {
    const sent = request('GET', { 'x-m2m-origin': origin });

    expect(parseRequestHeaders(sent, now).originator).toBe(origin);
  });

  it('checks the originator of a Create too', () => {
    const sent = request('POST', {
      'x-m2m-origin': 'Ca, Cb',
      'content-type': 'application/json;ty=2',
    });

    expect(messageOf(() => parseRequestHeaders(sent, now))).toBe(
      'X-M2M-Origin is malformed',
    );
  });

  it.each(['4, 3', '4,3', '4, 4'])(
    'returns 4000 for the doubled release %j',
    (rvi) => {
      const sent = request('GET', { 'x-m2m-rvi': rvi });

      expect(codeOf(() => parseRequestHeaders(sent, now))).toBe(4000);
      expect(messageOf(() => parseRequestHeaders(sent, now))).toBe(
        'X-M2M-RVI must name one release',
      );
    },
  );
});
