import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '#registrar/onem2m/body.ts';
import { formatTimestamp } from '#registrar/onem2m/timestamp.ts';
import {
  aeBody,
  createRequest,
  harness,
  json,
  request,
  rsc,
  START,
} from './harness.ts';

describe('request headers through the pipeline', () => {
  it.each([
    ['X-M2M-RI is missing', { 'x-m2m-ri': undefined }, 4000, 400],
    ['X-M2M-RVI is missing', { 'x-m2m-rvi': undefined }, 4001, 501],
    ['X-M2M-RVI is 1', { 'x-m2m-rvi': '1' }, 4001, 501],
    ['X-M2M-Origin is missing', { 'x-m2m-origin': undefined }, 4000, 400],
    ['Accept asks for XML', { accept: 'application/xml' }, 5207, 406],
    [
      'X-M2M-RET has passed',
      { 'x-m2m-ret': formatTimestamp(START - 1) },
      4008,
      504,
    ],
    ['X-M2M-RET is malformed', { 'x-m2m-ret': 'later' }, 4000, 400],
    [
      'ty is on a Retrieve',
      { 'content-type': 'application/json;ty=2' },
      4000,
      400,
    ],
  ])('answers a Retrieve where %s', async (_case, headers, code, status) => {
    const { registrar } = harness();

    const response = await registrar.handle(
      request({ headers: { 'x-m2m-origin': 'Cx', ...headers } }),
    );

    expect(rsc(response)).toBe(code);
    expect(response.status).toBe(status);
    expect(json(response)['m2m:dbg']).toEqual(expect.any(String));
  });

  it.each([
    ['the <CSEBase>', '/cse-in'],
    ['an <AE>', '/cse-in/lightApp'],
  ])(
    'returns 4000 for a Retrieve of %s from joined originators',
    async (_case, path) => {
      const { registrar } = harness();
      await registrar.handle(createRequest('Ca', aeBody({ rn: 'lightApp' })));

      const response = await registrar.handle(
        request({ path, headers: { 'x-m2m-origin': 'Ca, Cb' } }),
      );

      expect(rsc(response)).toBe(4000);
      expect(json(response)['m2m:dbg']).toBe('X-M2M-Origin is malformed');
    },
  );

  it('returns 4000 for a Create from joined originators', async () => {
    const { registrar, store } = harness();

    const response = await registrar.handle(createRequest('Ca, Cb'));

    expect(rsc(response)).toBe(4000);
    expect(json(response)['m2m:dbg']).toBe('X-M2M-Origin is malformed');
    expect(await store.list()).toEqual([]);
  });

  it('returns 4000 for a doubled X-M2M-RVI', async () => {
    const { registrar } = harness();

    const response = await registrar.handle(
      request({ headers: { 'x-m2m-origin': 'Cx', 'x-m2m-rvi': '4, 3' } }),
    );

    expect(rsc(response)).toBe(4000);
    expect(response.status).toBe(400);
    expect(json(response)['m2m:dbg']).toBe('X-M2M-RVI must name one release');
  });

  it('returns 4000 for a ty that is not a number on a Create', async () => {
    const { registrar } = harness();

    const response = await registrar.handle(
      createRequest('Cx', aeBody(), {
        headers: { 'content-type': 'application/json;ty=two' },
      }),
    );

    expect(rsc(response)).toBe(4000);
  });

  it('returns 4015 for a Create with an XML body', async () => {
    const { registrar } = harness();

    const response = await registrar.handle(
      createRequest('Cx', aeBody(), {
        headers: { 'content-type': 'application/xml;ty=2' },
      }),
    );

    expect(rsc(response)).toBe(4015);
    expect(response.status).toBe(415);
  });

  it('accepts the oneM2M JSON media type', async () => {
    const { registrar } = harness();

    const response = await registrar.handle(
      createRequest('Cx', aeBody(), {
        headers: { 'content-type': 'application/vnd.onem2m-res+json; ty=2' },
      }),
    );

    expect(rsc(response)).toBe(2001);
  });

  it('echoes X-M2M-RI and X-M2M-RVI and sets the content type', async () => {
    const { registrar } = harness();

    const response = await registrar.handle(
      request({
        headers: {
          'x-m2m-origin': 'Cx',
          'x-m2m-ri': 'req-42',
          'x-m2m-rvi': '4',
        },
      }),
    );

    expect(response.headers).toEqual({
      'X-M2M-RSC': '2000',
      'X-M2M-RI': 'req-42',
      'X-M2M-RVI': '4',
      'Content-Type': 'application/json',
    });
  });

  it('echoes an unsupported release on its 4001', async () => {
    const { registrar } = harness();

    const response = await registrar.handle(
      request({ headers: { 'x-m2m-origin': 'Cx', 'x-m2m-rvi': '1' } }),
    );

    expect(response.headers['X-M2M-RVI']).toBe('1');
    expect(response.headers['X-M2M-RI']).toBe('r1');
  });

  it('leaves out X-M2M-RI and X-M2M-RVI the request did not have', async () => {
    const { registrar } = harness();

    const response = await registrar.handle(
      request({
        headers: { 'x-m2m-ri': undefined, 'x-m2m-rvi': undefined },
      }),
    );

    expect(Object.keys(response.headers).sort()).toEqual([
      'Content-Type',
      'X-M2M-RSC',
    ]);
  });

  it('returns 4000 for a body larger than MAX_BODY_BYTES', async () => {
    const { registrar } = harness();

    const response = await registrar.handle(
      createRequest('Cx', undefined, {
        rawBody: new Uint8Array(MAX_BODY_BYTES + 1).fill(0x20),
      }),
    );

    expect(rsc(response)).toBe(4000);
    expect(json(response)['m2m:dbg']).toBe('request body too large');
  });

  it.each([
    ['an unknown parameter', 'rt=3'],
    ['an rcn a Retrieve does not take', 'rcn=2'],
  ])('returns 4000 for a query with %s', async (_case, query) => {
    const { registrar } = harness();

    const response = await registrar.handle(
      request({ query, headers: { 'x-m2m-origin': 'Cx' } }),
    );

    expect(rsc(response)).toBe(4000);
  });
});

describe('request bodies through the pipeline', () => {
  const encode = (text: string) => new TextEncoder().encode(text);

  it.each([
    ['an empty body', new Uint8Array()],
    ['invalid JSON', encode('{"m2m:ae": {')],
    ['a JSON array', encode('[]')],
    ['another root', encode('{"m2m:cnt": {}}')],
    [
      'an unknown attribute',
      encode('{"m2m:ae": {"api": "Nx", "rr": true, "srv": ["3"], "cr": null}}'),
    ],
  ])('returns 4000 for a Create with %s', async (_case, rawBody) => {
    const { registrar, store } = harness();

    const response = await registrar.handle(
      createRequest('Cx', undefined, { rawBody }),
    );

    expect(rsc(response)).toBe(4000);
    expect(await store.list()).toEqual([]);
  });

  it.each([
    ['invalid JSON', encode('{'), 4000],
    ['a JSON array', encode('[]'), 4000],
    ['another root', encode('{"m2m:cnt": {}}'), 4102],
    ['rn', encode('{"m2m:ae": {"rn": "x"}}'), 4000],
  ])('answers an Update with %s', async (_case, rawBody, code) => {
    const { registrar } = harness();
    await registrar.handle(createRequest('Cx'));

    const response = await registrar.handle(
      request({
        method: 'PUT',
        path: '/Cx',
        headers: { 'x-m2m-origin': 'Cx', 'content-type': 'application/json' },
        rawBody,
      }),
    );

    expect(rsc(response)).toBe(code);
  });
});
