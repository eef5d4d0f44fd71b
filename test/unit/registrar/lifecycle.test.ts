import { describe, expect, it } from 'vitest';
import { createRequest, harness, json, request, rsc } from './harness.ts';

describe('<AE> lifecycle', () => {
  it('registers, retrieves, updates and deletes an AE', async () => {
    const { registrar } = harness();

    const created = await registrar.handle(
      createRequest('Clight', {
        'm2m:ae': { rn: 'lightApp', api: 'Nlight', rr: true, srv: ['3'] },
      }),
    );
    const read = await registrar.handle(
      request({
        path: '/cse-in/lightApp',
        headers: { 'x-m2m-origin': 'Clight' },
      }),
    );
    const updated = await registrar.handle(
      request({
        method: 'PUT',
        path: '/cse-in/lightApp',
        headers: { 'x-m2m-origin': 'Clight' },
        body: { 'm2m:ae': { lbl: ['kitchen'] } },
      }),
    );
    const deleted = await registrar.handle(
      request({
        method: 'DELETE',
        path: '/cse-in/lightApp',
        headers: { 'x-m2m-origin': 'Clight' },
      }),
    );

    expect([created, read, updated, deleted].map(rsc)).toEqual([
      2001, 2000, 2004, 2002,
    ]);
    expect(json(created)['m2m:ae'].aei).toBe('Clight');
    expect(json(updated)['m2m:ae'].lbl).toEqual(['kitchen']);
  });
});
