import { describe, expect, it } from 'vitest';
import {
  aeBody,
  createRequest,
  harness,
  json,
  request,
  rsc,
} from './harness.ts';

describe('originator at registration', () => {
  it.each([
    ['absent', undefined, /^C[A-Za-z0-9]{16}$/],
    ['empty', '', /^C[A-Za-z0-9]{16}$/],
    ['C', 'C', /^C[A-Za-z0-9]{16}$/],
    ['S', 'S', /^S[A-Za-z0-9]{16}$/],
  ])(
    'assigns a fresh stem when X-M2M-Origin is %s',
    async (_c, origin, stem) => {
      const { registrar } = harness();

      const response = await registrar.handle(createRequest(origin));

      const ae = json(response)['m2m:ae'];
      expect(rsc(response)).toBe(2001);
      expect(ae.aei).toMatch(stem);
      expect(ae.ri).toBe(ae.aei);
    },
  );

  it('assigns a different stem to each anonymous registration', async () => {
    const { registrar } = harness();

    const first = await registrar.handle(createRequest('C'));
    const second = await registrar.handle(createRequest('C'));

    expect(json(first)['m2m:ae'].aei).not.toBe(json(second)['m2m:ae'].aei);
  });

  it.each(['Clight', 'Sfactory.line-1', 'C_x~y'])(
    'uses %s as given when it is free',
    async (origin) => {
      const { registrar } = harness();

      const response = await registrar.handle(createRequest(origin));

      expect(rsc(response)).toBe(2001);
      expect(json(response)['m2m:ae'].aei).toBe(origin);
    },
  );

  it('uses a stem again after its registration was deleted', async () => {
    const { registrar } = harness();
    await registrar.handle(createRequest('Clight'));
    await registrar.handle(
      request({
        method: 'DELETE',
        path: '/Clight',
        headers: { 'x-m2m-origin': 'Clight' },
      }),
    );

    const again = await registrar.handle(createRequest('Clight'));

    expect(rsc(again)).toBe(2001);
  });

  it('returns 4117 when the stem is already registered', async () => {
    const { registrar } = harness();
    await registrar.handle(createRequest('Clight'));

    const again = await registrar.handle(createRequest('Clight'));

    expect(rsc(again)).toBe(4117);
    expect(again.status).toBe(403);
  });

  it('answers exactly one of two concurrent creates for one stem', async () => {
    const { registrar, store } = harness();

    const responses = await Promise.all([
      registrar.handle(createRequest('Clight', aeBody({ rn: 'a' }))),
      registrar.handle(createRequest('Clight', aeBody({ rn: 'b' }))),
    ]);

    expect(responses.map(rsc).sort()).toEqual([2001, 4117]);
    expect(await store.list()).toHaveLength(1);
  });

  it('answers exactly one of two concurrent creates for one name', async () => {
    const { registrar, store } = harness();

    const responses = await Promise.all([
      registrar.handle(createRequest('Ca', aeBody({ rn: 'same' }))),
      registrar.handle(createRequest('Cb', aeBody({ rn: 'same' }))),
    ]);

    expect(responses.map(rsc).sort()).toEqual([2001, 4105]);
    expect(await store.list()).toHaveLength(1);
  });

  it.each(['/id-in', 'id-in', '/id-other', '/id-in/cse-in'])(
    'returns 4107 for the CSE-ID %s',
    async (origin) => {
      const { registrar } = harness();

      const response = await registrar.handle(createRequest(origin));

      expect(rsc(response)).toBe(4107);
      expect(response.status).toBe(403);
    },
  );

  it.each([
    'Xlight',
    'clight',
    'light',
    '1',
    'C/x',
    'C x',
    `C${'a'.repeat(65)}`,
  ])('returns 4000 for the originator %s', async (origin) => {
    const { registrar } = harness();

    const response = await registrar.handle(createRequest(origin));

    expect(rsc(response)).toBe(4000);
  });

  it('returns 4126 for the admin originator', async () => {
    const { registrar } = harness();

    const response = await registrar.handle(createRequest('CAdmin'));

    expect(rsc(response)).toBe(4126);
    expect(response.status).toBe(403);
  });

  it('names the <AE> after its stem when rn is absent', async () => {
    const { registrar } = harness();

    const response = await registrar.handle(createRequest('Clight'));

    expect(json(response)['m2m:ae'].rn).toBe('Clight');
    expect(response.headers['Content-Location']).toBe('cse-in/Clight');
  });

  it('picks another name when the stem is taken as a name', async () => {
    const { registrar } = harness();
    await registrar.handle(createRequest('Cfirst', aeBody({ rn: 'Csecond' })));

    const response = await registrar.handle(createRequest('Csecond'));

    expect(rsc(response)).toBe(2001);
    expect(json(response)['m2m:ae'].rn).toMatch(/^Csecond_[A-Za-z0-9]{8}$/);
  });

  it('returns 4105 when a sibling has the name', async () => {
    const { registrar } = harness();
    await registrar.handle(createRequest('Ca', aeBody({ rn: 'lightApp' })));

    const response = await registrar.handle(
      createRequest('Cb', aeBody({ rn: 'lightApp' })),
    );

    expect(rsc(response)).toBe(4105);
    expect(response.status).toBe(409);
  });
});
