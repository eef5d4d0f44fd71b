import { describe, expect, it } from 'vitest';
import { prepareRequest } from '#registrar/client/request.ts';
import {
  inspectSignature,
  verifyMac,
} from '#registrar/security/signature-verifier.ts';

const key = new Uint8Array(32).fill(7);
const credential = { keyid: 'enr:demo:1', key };

function verify(prepared: ReturnType<typeof prepareRequest>) {
  const url = new URL(prepared.url);
  const inspected = inspectSignature(
    {
      method: prepared.method,
      path: url.pathname,
      query: url.search.slice(1),
      headers: prepared.headers,
      body: prepared.body,
    },
    { now: Date.now(), clockSkewS: 300 },
  );
  verifyMac(inspected, key);
  return inspected;
}

describe('prepareRequest', () => {
  it('builds a Create <AE> with ty=2, release 4 and a JSON body', () => {
    const prepared = prepareRequest('http://127.0.0.1:8080', {
      method: 'POST',
      path: '/cse-in',
      ty: 2,
      body: { 'm2m:ae': { api: 'Nlight' } },
    });

    expect(prepared.url).toBe('http://127.0.0.1:8080/cse-in');
    expect(prepared.headers).toMatchObject({
      'Content-Type': 'application/json;ty=2',
      'X-M2M-RVI': '4',
      'X-M2M-RI': prepared.requestId,
    });
    expect(prepared.headers['X-M2M-Origin']).toBeUndefined();
    expect(prepared.body).toBe('{"m2m:ae":{"api":"Nlight"}}');
  });

  it('sends no signature headers without a credential', () => {
    const prepared = prepareRequest('http://127.0.0.1:8080', {
      method: 'GET',
      path: '/cse-in/a',
      origin: 'Cabc',
    });

    expect(prepared.headers.Signature).toBeUndefined();
    expect(prepared.headers['Signature-Input']).toBeUndefined();
  });

  it('gives every request its own X-M2M-RI', () => {
    const request = { method: 'GET', path: '/cse-in' } as const;

    const first = prepareRequest('http://127.0.0.1:8080', request);
    const second = prepareRequest('http://127.0.0.1:8080', request);

    expect(first.requestId).not.toBe(second.requestId);
  });

  it('signs a Create so that the registrar verifier accepts it', () => {
    const prepared = prepareRequest(
      'http://127.0.0.1:8080',
      {
        method: 'POST',
        path: '/cse-in',
        origin: 'Clight',
        ty: 2,
        body: { 'm2m:ae': { api: 'Nlight', rr: false, srv: ['4'] } },
      },
      { credential },
    );

    const inspected = verify(prepared);

    expect(inspected.components).toEqual([
      '@method',
      '@path',
      '@query',
      'x-m2m-origin',
      'x-m2m-ri',
      'content-digest',
    ]);
    expect(inspected.parameters.keyid).toBe('enr:demo:1');
    expect(prepared.headers['Content-Digest']).toMatch(/^sha-256=:/);
  });

  it('signs the path and query as fetch sends them, under a prefix', () => {
    const prepared = prepareRequest(
      'http://127.0.0.1:8080/prefix/stage/',
      { method: 'GET', path: '/cse-in/a b', query: 'rcn=1', origin: 'Ca' },
      { credential },
    );

    const inspected = verify(prepared);

    expect(prepared.url).toBe(
      'http://127.0.0.1:8080/prefix/stage/cse-in/a%20b?rcn=1',
    );
    expect(inspected.base).toContain('"@path": /prefix/stage/cse-in/a%20b');
    expect(inspected.base).toContain('"@query": ?rcn=1');
  });
});
