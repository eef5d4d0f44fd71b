import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  eventShape,
  isHttpApiEvent,
  operationOf,
  toHttpRequest,
  toResult,
} from '#registrar/handlers/http-event.ts';
import { MAX_BODY_BYTES } from '#registrar/onem2m/body.ts';
import { httpEvent } from './events.ts';

describe('toHttpRequest', () => {
  it('passes method, raw path, raw query and lower-case headers on', () => {
    const event = httpEvent({
      method: 'get',
      rawPath: '/cse-in/my%20ae',
      rawQueryString: 'rcn=1&a=%2F',
      headers: { 'x-m2m-origin': 'Cdev', 'X-M2M-RI': 'r1' },
    });

    const request = toHttpRequest(event);

    expect(request).toEqual({
      method: 'GET',
      path: '/cse-in/my%20ae',
      query: 'rcn=1&a=%2F',
      headers: { 'x-m2m-origin': 'Cdev', 'x-m2m-ri': 'r1' },
      body: undefined,
    });
  });

  it.each([
    ['base64', true, Buffer.from('{"m2m:ae":{}}').toString('base64')],
    ['plain text', false, '{"m2m:ae":{}}'],
  ])('decodes a %s body to its exact bytes', (_, isBase64Encoded, body) => {
    const event = httpEvent({ body, isBase64Encoded });

    const request = toHttpRequest(event);

    expect(Buffer.from(request.body ?? []).toString('utf8')).toBe(
      '{"m2m:ae":{}}',
    );
  });

  it('keeps bytes that are not UTF-8 as they were sent', () => {
    const bytes = Buffer.from([0xff, 0x00, 0xfe]);
    const event = httpEvent({
      body: bytes.toString('base64'),
      isBase64Encoded: true,
    });

    const request = toHttpRequest(event);

    expect(Buffer.from(request.body ?? [])).toEqual(bytes);
  });

  it('treats an empty body as none', () => {
    const event = httpEvent({ body: '' });

    const request = toHttpRequest(event);

    expect(request.body).toBeUndefined();
  });

  it('cuts a body after one byte more than the pipeline accepts', () => {
    const event = httpEvent({ body: 'x'.repeat(MAX_BODY_BYTES + 100) });

    const request = toHttpRequest(event);

    expect(request.body?.length).toBe(MAX_BODY_BYTES + 1);
  });

  it('takes a missing query string as empty', () => {
    const event = httpEvent({});
    const { rawQueryString: _, ...withoutQuery } = event;

    const request = toHttpRequest(withoutQuery as APIGatewayProxyEventV2);

    expect(request.query).toBe('');
  });
});

describe('toResult', () => {
  it('returns status, headers and body as the pipeline built them', () => {
    const response = {
      status: 201,
      headers: { 'X-M2M-RSC': '2001', 'Content-Type': 'application/json' },
      body: '{"m2m:ae":{}}',
    };

    const result = toResult(response);

    expect(result).toEqual({
      statusCode: 201,
      headers: { 'X-M2M-RSC': '2001', 'Content-Type': 'application/json' },
      body: '{"m2m:ae":{}}',
      isBase64Encoded: false,
    });
  });

  it('leaves the body out when there is none', () => {
    const result = toResult({ status: 200, headers: {}, body: undefined });

    expect(result).not.toHaveProperty('body');
  });
});

describe('operationOf', () => {
  it.each([
    ['POST', 'application/json;ty=2', 'create'],
    ['POST', 'application/json', 'notify'],
    ['GET', undefined, 'retrieve'],
    ['PUT', 'application/json', 'update'],
    ['DELETE', undefined, 'delete'],
    ['PATCH', undefined, 'other'],
  ])('names %s with %s a %s', (method, type, operation) => {
    const request = toHttpRequest(
      httpEvent({ method, headers: { 'content-type': type } }),
    );

    const result = operationOf(request);

    expect(result).toBe(operation);
  });
});

describe('isHttpApiEvent', () => {
  it('accepts a payload 2.0 event', () => {
    expect(isHttpApiEvent(httpEvent({ rawPath: '/cse-in' }))).toBe(true);
  });

  it.each([
    ['{}', {}],
    ['undefined', undefined],
    ['a payload 1.0 event', { httpMethod: 'GET', path: '/' }],
    ['a numeric rawPath', { rawPath: 1, requestContext: { http: {} } }],
  ])('refuses %s', (_, event) => {
    expect(isHttpApiEvent(event)).toBe(false);
  });
});

describe('eventShape', () => {
  it.each([
    [null, { type: 'null' }],
    ['text', { type: 'string' }],
    [[1, 2], { type: 'array', length: 2 }],
    [
      { aei: 'Csecret', poa: ['http://x'] },
      { type: 'object', keys: ['aei', 'poa'] },
    ],
  ])('reports %j as %j, no value', (event, shape) => {
    expect(eventShape(event)).toEqual(shape);
  });

  it('reports at most ten key names', () => {
    const event = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`k${i}`, i]),
    );

    expect(eventShape(event).keys).toHaveLength(10);
  });
});
