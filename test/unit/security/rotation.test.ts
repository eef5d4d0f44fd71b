import { describe, expect, it } from 'vitest';
import { ROTATION_PATH } from '#registrar/security/rotation.ts';
import {
  authenticatorFor,
  createRequest,
  fixedCredentials,
  harness,
  json,
  request,
  rsc,
} from '../registrar/harness.ts';

/** A registrar where `Clight` is registered and signs with generation 0. */
async function signedAsClight() {
  const open = harness();
  await open.registrar.handle(createRequest('Clight'));
  const { registrar } = harness({
    store: open.store,
    credentials: fixedCredentials,
    authenticator: authenticatorFor({
      kind: 'registration',
      aei: 'Clight',
      generation: 0,
    }),
  });
  return { registrar, store: open.store };
}

function rotation(body?: unknown, rawBody?: Uint8Array) {
  return request({
    method: 'POST',
    path: ROTATION_PATH,
    headers: { 'x-m2m-origin': 'Clight' },
    ...(body === undefined ? {} : { body }),
    ...(rawBody === undefined ? {} : { rawBody }),
  });
}

describe('credential rotation request', () => {
  it('rotates when the request has no body', async () => {
    const { registrar, store } = await signedAsClight();

    const response = await registrar.handle(rotation());

    expect(rsc(response)).toBe(2004);
    expect((await store.findByAei('Clight'))?.generation).toBe(1);
  });

  it.each([
    ['an empty JSON object', {}, undefined],
    ['an m2m:ae', { 'm2m:ae': { lbl: ['x'] } }, undefined],
    ['a blank line', undefined, new TextEncoder().encode('\n')],
  ])(
    'returns 4000 for %s as body and keeps the generation',
    async (_case, body, rawBody) => {
      const { registrar, store } = await signedAsClight();

      const response = await registrar.handle(rotation(body, rawBody));

      expect(rsc(response)).toBe(4000);
      expect(json(response)['m2m:dbg']).toBe('a rotation takes no body');
      expect((await store.findByAei('Clight'))?.generation).toBe(0);
    },
  );
});
