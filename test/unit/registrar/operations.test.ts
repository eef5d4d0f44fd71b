import { describe, expect, it } from 'vitest';
import {
  aeBody,
  createRequest,
  harness,
  json,
  request,
  rsc,
} from './harness.ts';

async function registered() {
  const h = harness();
  const created = await h.registrar.handle(
    createRequest('Clight', aeBody({ rn: 'lightApp' })),
  );
  expect(rsc(created)).toBe(2001);
  return h;
}

describe('operations and paths', () => {
  it.each([
    '/cse-in',
    '/-',
    '/id-in',
    '/~/id-in',
    '/~/id-in/cse-in',
    '/~/id-in/-',
    '/_/registrar.example.com/id-in',
    '/_/registrar.example.com/id-in/cse-in',
  ])('retrieves the <CSEBase> at %s', async (path) => {
    const { registrar } = harness();

    const response = await registrar.handle(
      request({ path, headers: { 'x-m2m-origin': 'Canyone' } }),
    );

    expect(rsc(response)).toBe(2000);
    expect(response.status).toBe(200);
    expect(json(response)['m2m:cb']).toMatchObject({
      ri: 'id-in',
      rn: 'cse-in',
      ty: 5,
      csi: '/id-in',
      cst: 1,
      srv: ['2a', '3', '4', '5'],
      ct: '20260101T000000,000000',
      lt: '20260101T000000,000000',
    });
  });

  it.each([
    '/cse-in/lightApp',
    '/-/lightApp',
    '/Clight',
    '/~/id-in/cse-in/lightApp',
    '/~/id-in/-/lightApp',
    '/~/id-in/Clight',
    '/_/registrar.example.com/id-in/cse-in/lightApp',
    '/_/registrar.example.com/id-in/-/lightApp',
    '/_/registrar.example.com/id-in/Clight',
  ])('retrieves the <AE> at %s', async (path) => {
    const { registrar } = await registered();

    const response = await registrar.handle(
      request({ path, headers: { 'x-m2m-origin': 'Clight' } }),
    );

    expect(rsc(response)).toBe(2000);
    expect(json(response)['m2m:ae']).toMatchObject({
      rn: 'lightApp',
      ri: 'Clight',
      aei: 'Clight',
    });
  });

  it.each([
    ['/~/id-in/cse-in', 2001],
    ['/-', 2001],
    ['/id-in', 2001],
    ['/_/registrar.example.com/id-in', 2001],
  ])('registers through %s', async (path, code) => {
    const { registrar } = harness();

    const response = await registrar.handle(
      createRequest('Cx', aeBody(), { path }),
    );

    expect(rsc(response)).toBe(code);
  });

  it.each([
    ['another CSE', '/~/id-other/cse-in/lightApp'],
    ['another SP', '/_/other.example.com/id-in/cse-in/lightApp'],
    ['a child of an AE', '/cse-in/lightApp/child'],
    ['an unknown name', '/cse-in/darkApp'],
    ['an unknown id', '/Cdark'],
  ])('returns 4004 for %s', async (_case, path) => {
    const { registrar } = await registered();

    const responses = await Promise.all(
      ['GET', 'PUT', 'DELETE'].map((method) =>
        registrar.handle(
          request({
            method,
            path,
            headers: { 'x-m2m-origin': 'Clight' },
            ...(method === 'PUT' ? { body: { 'm2m:ae': {} } } : {}),
          }),
        ),
      ),
    );

    expect(responses.map(rsc)).toEqual([4004, 4004, 4004]);
    expect(responses[0]?.status).toBe(404);
  });

  it('returns 4004 for a Create below an unknown parent', async () => {
    const { registrar } = harness();

    const response = await registrar.handle(
      createRequest('Cx', aeBody(), { path: '/cse-in/nobody' }),
    );

    expect(rsc(response)).toBe(4004);
  });

  it('returns 4000 for a path with malformed percent-encoding', async () => {
    const { registrar } = harness();

    const response = await registrar.handle(
      request({ path: '/cse-in/%E0%A4%A', headers: { 'x-m2m-origin': 'Cx' } }),
    );

    expect(rsc(response)).toBe(4000);
  });

  it.each([['/cse-in/lightApp'], ['/Clight']])(
    'returns 4108 for a Create of an <AE> under the <AE> %s',
    async (path) => {
      const { registrar } = await registered();

      const response = await registrar.handle(
        createRequest('Cother', aeBody(), { path }),
      );

      expect(rsc(response)).toBe(4108);
      expect(response.status).toBe(403);
    },
  );

  it.each([
    [0, 'the <CSEBase>', '/cse-in'],
    [3, 'the <CSEBase>', '/cse-in'],
    [5, 'the <CSEBase>', '/cse-in'],
    [99, 'the <CSEBase>', '/cse-in'],
    [3, 'an <AE>', '/cse-in/lightApp'],
  ])('returns 4005 for a Create of type %i under %s', async (ty, _c, path) => {
    const { registrar, logger } = await registered();

    const response = await registrar.handle(
      createRequest(
        'Clight',
        { 'm2m:cnt': {} },
        {
          path,
          headers: { 'content-type': `application/json;ty=${ty}` },
        },
      ),
    );

    expect(rsc(response)).toBe(4005);
    expect(response.status).toBe(405);
    expect(json(response)['m2m:dbg']).toBe(
      'this registrar creates only <AE> resources (ty=2)',
    );
    expect(logger.lines.at(-1)?.level).toBe('warn');
  });

  it('returns 4004 for a Create of another type under a missing <AE>', async () => {
    const { registrar } = await registered();

    const response = await registrar.handle(
      createRequest(
        'Clight',
        { 'm2m:cnt': {} },
        {
          path: '/cse-in/none',
          headers: { 'content-type': 'application/json;ty=3' },
        },
      ),
    );

    expect(rsc(response)).toBe(4004);
  });

  it.each([
    ['a Notify to the <CSEBase>', 'POST', '/cse-in'],
    ['a Notify to an <AE>', 'POST', '/cse-in/lightApp'],
    ['an Update of the <CSEBase>', 'PUT', '/cse-in'],
    ['a Delete of the <CSEBase>', 'DELETE', '/cse-in'],
    ['a PATCH', 'PATCH', '/cse-in/lightApp'],
  ])('returns 4005 for %s', async (_case, method, path) => {
    const { registrar } = await registered();

    const response = await registrar.handle(
      request({
        method,
        path,
        headers: { 'x-m2m-origin': 'Clight' },
        body: { 'm2m:sgn': {} },
      }),
    );

    expect(rsc(response)).toBe(4005);
    expect(response.status).toBe(405);
  });

  it('keeps the <AE> after an Update of the <CSEBase> is refused', async () => {
    const { registrar, store } = await registered();

    await registrar.handle(
      request({ method: 'DELETE', headers: { 'x-m2m-origin': 'CAdmin' } }),
    );

    expect(await store.findByAei('Clight')).toBeDefined();
  });
});
