import { describe, expect, it } from 'vitest';
import { contentDigest } from '#registrar/security/content-digest.ts';
import {
  hmacSha256,
  SigningError,
  signatureBase,
  signRequest,
} from '#registrar/security/http-signature.ts';

// The expected Signature values were computed once from hand-written
// signature bases with node:crypto (createHmac) and are pinned here.
const key = Uint8Array.from({ length: 32 }, (_, i) => i);
const fixed = { key, created: 1700000000, nonce: 'abcdefghijklmnop0123' };

describe('signRequest', () => {
  it('signs a GET without body', () => {
    const added = signRequest(
      {
        method: 'GET',
        path: '/cse-in/demo',
        query: '',
        headers: { 'X-M2M-Origin': 'Cdemo1', 'X-M2M-RI': 'req-1' },
      },
      { ...fixed, keyid: 'reg:Cdemo1:0' },
    );

    expect(added).toEqual({
      'Signature-Input':
        'm2m=("@method" "@path" "@query" "x-m2m-origin" "x-m2m-ri")' +
        ';created=1700000000;nonce="abcdefghijklmnop0123"' +
        ';keyid="reg:Cdemo1:0";alg="hmac-sha256"',
      Signature: 'm2m=:gsuhf/ar+c97jBpZaEtAP2bjLMcng/O6DjrVQNCu8CQ=:',
    });
  });

  it('signs a POST and covers the Content-Digest of its body', () => {
    const added = signRequest(
      {
        method: 'POST',
        path: '/cse-in',
        headers: { 'x-m2m-origin': 'Cdemo1', 'x-m2m-ri': 'req-2' },
        body: '{"m2m:ae":{"api":"Napp","rr":false,"srv":["4"]}}',
      },
      { ...fixed, keyid: 'enr:demo:1' },
    );

    expect(added['Content-Digest']).toBe(
      'sha-256=:mNRcHRzPg0Mt3nhwJIVd1GCKLMLvpUUSNTTLsbKm03c=:',
    );
    expect(added['Signature-Input']).toContain('"x-m2m-ri" "content-digest");');
    expect(added.Signature).toBe(
      'm2m=:xH5CQiBNvTiSmZRDZsyPPtf5tNwxwOgXXLMHipfYGUU=:',
    );
  });

  it('signs the query with its leading "?"', () => {
    const added = signRequest(
      {
        method: 'GET',
        path: '/cse-in/demo',
        query: 'rcn=1&x=a%20b',
        headers: { 'X-M2M-Origin': 'Cdemo1', 'X-M2M-RI': 'req-3' },
      },
      { ...fixed, keyid: 'reg:Cdemo1:0' },
    );

    expect(added.Signature).toBe(
      'm2m=:afA12xY1oNbPx8PHQR5W4PFicll/oaVnMFLsn9yW2dA=:',
    );
  });

  it('signs a percent-encoded path as sent, without origin or alg', () => {
    const added = signRequest(
      {
        method: 'DELETE',
        path: '/~/id-in/cse-in/d%C3%A9mo',
        headers: { 'X-M2M-RI': 'req-4' },
      },
      {
        ...fixed,
        keyid: 'reg:Cdemo1:0',
        expires: 1700000300,
        includeAlgorithm: false,
      },
    );

    expect(added).toEqual({
      'Signature-Input':
        'm2m=("@method" "@path" "@query" "x-m2m-ri");created=1700000000' +
        ';expires=1700000300;nonce="abcdefghijklmnop0123"' +
        ';keyid="reg:Cdemo1:0"',
      Signature: 'm2m=:kpCYDVjZ/2xcDGKwQ8DNzLeGshimr56LMXUsU63s0lw=:',
    });
  });

  it('makes a fresh 24-character nonce and the current time by default', () => {
    const request = {
      method: 'GET',
      path: '/cse-in',
      headers: { 'X-M2M-RI': 'r' },
    };
    const before = Math.floor(Date.now() / 1000);

    const one = signRequest(request, { keyid: 'k', key });
    const other = signRequest(request, { keyid: 'k', key });

    const nonce = /nonce="([^"]+)"/.exec(one['Signature-Input'])?.[1];
    const created = Number(/created=(\d+)/.exec(one['Signature-Input'])?.[1]);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(other['Signature-Input']).not.toBe(one['Signature-Input']);
    expect(created).toBeGreaterThanOrEqual(before);
  });

  it('refuses a request without X-M2M-RI', () => {
    expect(() =>
      signRequest(
        { method: 'GET', path: '/cse-in', headers: {} },
        { keyid: 'k', key },
      ),
    ).toThrow(SigningError);
  });

  it('refuses a nonce shorter than 16 characters', () => {
    expect(() =>
      signRequest(
        { method: 'GET', path: '/cse-in', headers: { 'x-m2m-ri': 'r' } },
        { keyid: 'k', key, nonce: 'short' },
      ),
    ).toThrow(/16 characters/);
  });
});

describe('signatureBase', () => {
  // RFC 9421 appendix B.2.5: HMAC-SHA256 with test-shared-secret.
  const rfcSecret = Buffer.from(
    'uzvJfB4u3N0Jy4T7NZ75MDVcr8zSTInedJtkgcu46YW4XByzNJjxBdtjUkdJPBtbmHhI' +
      'Di6pcl8jsasjlTMtDQ==',
    'base64',
  );

  it('reproduces the HMAC example of RFC 9421 appendix B.2.5', () => {
    const request = {
      method: 'POST',
      path: '/foo',
      query: 'param=Value&Pet=dog',
      headers: {
        Host: 'example.com',
        Date: 'Tue, 20 Apr 2021 02:07:55 GMT',
        'Content-Type': 'application/json',
      },
    };

    const base = signatureBase(
      request,
      ['date', '@authority', 'content-type'],
      '("date" "@authority" "content-type");created=1618884473' +
        ';keyid="test-shared-secret"',
    );

    expect(base).toBe(
      '"date": Tue, 20 Apr 2021 02:07:55 GMT\n' +
        '"@authority": example.com\n' +
        '"content-type": application/json\n' +
        '"@signature-params": ("date" "@authority" "content-type")' +
        ';created=1618884473;keyid="test-shared-secret"',
    );
    expect(hmacSha256(rfcSecret, base ?? '').toString('base64')).toBe(
      'pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=',
    );
  });

  it('gives "/" for an empty path and "?" for no query', () => {
    const base = signatureBase(
      { method: 'GET', path: '', headers: {} },
      ['@path', '@query'],
      '()',
    );

    expect(base).toBe('"@path": /\n"@query": ?\n"@signature-params": ()');
  });

  it.each([['x-missing'], ['@target-uri']])(
    'has no base when %s cannot be resolved',
    (component) => {
      const base = signatureBase(
        { method: 'GET', path: '/', headers: {} },
        [component],
        '()',
      );

      expect(base).toBeUndefined();
    },
  );
});

describe('contentDigest', () => {
  it('is the RFC 9530 sha-256 of the body', () => {
    // RFC 9530 section 2: sha-256 of '{"hello": "world"}'.
    expect(contentDigest(Buffer.from('{"hello": "world"}'))).toBe(
      'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:',
    );
  });
});
