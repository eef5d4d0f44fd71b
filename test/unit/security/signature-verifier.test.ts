import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '#registrar/onem2m/message.ts';
import { signRequest } from '#registrar/security/http-signature.ts';
import type { SignatureError } from '#registrar/security/signature-error.ts';
import {
  inspectSignature,
  verifyMac,
} from '#registrar/security/signature-verifier.ts';

const key = Uint8Array.from({ length: 32 }, (_, i) => i);
const now = 1_700_000_000_000;
const policy = { now, clockSkewS: 300 };
const body = Buffer.from('{"m2m:ae":{"api":"Napp","rr":false}}');

function signed(
  overrides: { created?: number; expires?: number; withBody?: boolean } = {},
): HttpRequest {
  const headers: Record<string, string> = {
    'x-m2m-origin': 'Cdemo1',
    'x-m2m-ri': 'req-1',
  };
  const requestBody = overrides.withBody === false ? undefined : body;
  const added = signRequest(
    {
      method: 'POST',
      path: '/cse-in',
      query: 'rcn=1',
      headers,
      body: requestBody,
    },
    {
      keyid: 'enr:demo:1',
      key,
      created: overrides.created ?? now / 1000,
      nonce: 'abcdefghijklmnop0123',
      ...(overrides.expires === undefined
        ? {}
        : { expires: overrides.expires }),
    },
  );
  for (const [name, value] of Object.entries(added)) {
    headers[name.toLowerCase()] = value;
  }
  return {
    method: 'POST',
    path: '/cse-in',
    query: 'rcn=1',
    headers,
    body: requestBody,
  };
}

function with_(
  request: HttpRequest,
  changes: Partial<HttpRequest> & { set?: Record<string, string | undefined> },
): HttpRequest {
  const { set, ...rest } = changes;
  return { ...request, ...rest, headers: { ...request.headers, ...set } };
}

function failure(action: () => unknown): SignatureError {
  try {
    action();
  } catch (error) {
    return error as SignatureError;
  }
  throw new Error('expected a signature failure');
}

describe('inspectSignature', () => {
  it('accepts a well-signed request and exposes its parameters', () => {
    const inspected = inspectSignature(signed(), policy);

    expect(inspected.parameters).toEqual({
      created: now / 1000,
      expires: undefined,
      nonce: 'abcdefghijklmnop0123',
      keyid: 'enr:demo:1',
      alg: 'hmac-sha256',
    });
    expect(() => verifyMac(inspected, key)).not.toThrow();
  });

  it.each([
    [
      'no Signature-Input',
      { set: { 'signature-input': undefined } },
      'missing-signature',
    ],
    ['no Signature', { set: { signature: undefined } }, 'missing-signature'],
    [
      'no m2m label',
      { set: { 'signature-input': 'sig1=("@method")' } },
      'missing-signature',
    ],
    [
      'an unparseable Signature-Input',
      { set: { 'signature-input': 'm2m=(' } },
      'malformed-signature-input',
    ],
    [
      'an empty Signature-Input',
      { set: { 'signature-input': '' } },
      'missing-signature',
    ],
    [
      'an unparseable Signature',
      { set: { signature: 'm2m=:%%%:' } },
      'malformed-signature',
    ],
    [
      'a Signature that is not bytes',
      { set: { signature: 'm2m="abc"' } },
      'malformed-signature',
    ],
    [
      'an m2m input that is not a list',
      { set: { 'signature-input': 'm2m="x"' } },
      'malformed-signature-input',
    ],
    [
      'a Content-Digest that does not parse',
      { set: { 'content-digest': 'sha-256=:%:' } },
      'malformed-content-digest',
    ],
    [
      'a Content-Digest without sha-256',
      { set: { 'content-digest': 'sha-512=:AAAA:' } },
      'malformed-content-digest',
    ],
    [
      'a tampered body',
      { body: Buffer.from('{"m2m:ae":{"api":"Nevil"}}') },
      'digest-mismatch',
    ],
    [
      'a body without Content-Digest',
      { set: { 'content-digest': undefined } },
      'missing-content-digest',
    ],
  ] as const)('refuses %s', (_case, changes, check) => {
    const request = with_(signed(), changes);

    expect(failure(() => inspectSignature(request, policy)).check).toBe(check);
  });

  it('refuses a body added to a request signed without one', () => {
    const request = with_(signed({ withBody: false }), { body });

    expect(failure(() => inspectSignature(request, policy)).check).toBe(
      'missing-content-digest',
    );
  });

  it.each([
    [
      'without created',
      'm2m=("@method");nonce="abcdefghijklmnop0123";keyid="k"',
      /created is required/,
    ],
    [
      'with a short nonce',
      'm2m=("@method");created=1;nonce="short";keyid="k"',
      /nonce is required/,
    ],
    [
      'without keyid',
      'm2m=("@method");created=1;nonce="abcdefghijklmnop0123"',
      /keyid is required/,
    ],
    [
      'with a token keyid',
      'm2m=("@method");created=1;nonce="abcdefghijklmnop0123";keyid=k',
      /keyid is required/,
    ],
    [
      'with a duplicated component',
      'm2m=("@method" "@method");created=1',
      /appear once/,
    ],
    [
      'with a parameterised component',
      'm2m=("@query-param";name="a");created=1',
      /without parameters/,
    ],
    [
      'with an upper-case component',
      'm2m=("X-M2M-RI");created=1',
      /lower-case/,
    ],
  ])('refuses a Signature-Input %s', (_case, input, detail) => {
    const request = with_(signed(), { set: { 'signature-input': input } });

    const error = failure(() => inspectSignature(request, policy));

    expect(error.check).toBe('malformed-signature-input');
    expect(error.message).toMatch(detail);
  });

  it('refuses another algorithm', () => {
    const request = signed();
    const input = request.headers['signature-input']?.replace(
      'hmac-sha256',
      'hmac-sha512',
    );

    const error = failure(() =>
      inspectSignature(
        with_(request, { set: { 'signature-input': input } }),
        policy,
      ),
    );

    expect(error.check).toBe('unsupported-algorithm');
  });

  it.each([
    ['x-m2m-origin', '"x-m2m-origin" '],
    ['@query', '"@query" '],
    ['content-digest', ' "content-digest"'],
  ])('refuses a signature that does not cover %s', (name, text) => {
    const request = signed();
    const input = request.headers['signature-input']?.replace(text, '');

    const error = failure(() =>
      inspectSignature(
        with_(request, { set: { 'signature-input': input } }),
        policy,
      ),
    );

    expect(error.check).toBe('malformed-signature-input');
    expect(error.message).toContain(name);
  });

  it.each([
    ['stale', now / 1000 - 301, undefined],
    ['future', now / 1000 + 301, undefined],
    ['expired', now / 1000 - 10, now / 1000],
  ] as const)('refuses a %s signature', (check, created, expires) => {
    const request = signed({ created, ...(expires ? { expires } : {}) });

    expect(failure(() => inspectSignature(request, policy)).check).toBe(check);
  });

  it('accepts created at the edge of the skew', () => {
    const request = signed({ created: now / 1000 - 300 });

    expect(() => inspectSignature(request, policy)).not.toThrow();
  });

  it('refuses covered extra headers that the request lacks', () => {
    const request = signed();
    const input = request.headers['signature-input']?.replace(
      '"@method"',
      '"@method" "date"',
    );

    const error = failure(() =>
      inspectSignature(
        with_(request, { set: { 'signature-input': input } }),
        policy,
      ),
    );

    expect(error.message).toMatch(/not in the request/);
  });
});

describe('verifyMac', () => {
  it.each([
    ['another key', { key: new Uint8Array(32) }],
    ['a changed path', { path: '/cse-in/other' }],
    ['a changed query', { query: 'rcn=2' }],
    ['a changed method', { method: 'PUT' }],
    ['a changed origin', { set: { 'x-m2m-origin': 'Cother' } }],
    ['a changed request id', { set: { 'x-m2m-ri': 'req-2' } }],
    ['a truncated signature', { set: { signature: 'm2m=:AAAA:' } }],
  ] as const)('refuses %s', (_case, changes) => {
    const { key: otherKey, ...requestChanges } = {
      key,
      ...changes,
    } as { key: Uint8Array } & Parameters<typeof with_>[1];
    const request = with_(signed(), requestChanges);

    const error = failure(() =>
      verifyMac(inspectSignature(request, policy), otherKey),
    );

    expect(error.check).toBe('bad-signature');
    expect(error.rsc).toBe(4106);
  });
});

describe('signature parameters as sent (RFC 9421 section 2.3)', () => {
  const components =
    '("@method" "@path" "@query" "x-m2m-origin" "x-m2m-ri" "content-digest")';
  const created = `created=${now / 1000}`;
  const nonce = 'nonce="abcdefghijklmnop0123"';
  const keyid = 'keyid="enr:demo:1"';

  /** A request signed over a base written out by hand from `params`. */
  function signedWith(params: string): HttpRequest {
    const request = signed();
    const signatureParams = `${components}${params}`;
    const base = [
      '"@method": POST',
      '"@path": /cse-in',
      '"@query": ?rcn=1',
      '"x-m2m-origin": Cdemo1',
      '"x-m2m-ri": req-1',
      `"content-digest": ${request.headers['content-digest']}`,
      `"@signature-params": ${signatureParams}`,
    ].join('\n');
    const mac = createHmac('sha256', key).update(base).digest('base64');
    return with_(request, {
      set: {
        'signature-input': `m2m=${signatureParams}`,
        signature: `m2m=:${mac}:`,
      },
    });
  }

  it.each([
    ['keyid first', `;${keyid};${created};${nonce}`],
    ['alg and keyid last', `;${created};${nonce};alg="hmac-sha256";${keyid}`],
    ['a tag', `;${created};${nonce};${keyid};tag="app"`],
    ['a tag first', `;tag="app";${created};${nonce};${keyid}`],
    [
      'an unknown parameter',
      `;${created};${nonce};${keyid};x-note="v";x-count=3;x-flag`,
    ],
    [
      'expires before created',
      `;expires=${now / 1000 + 60};${created};${nonce};${keyid}`,
    ],
  ])('verifies parameters with %s', (_case, params) => {
    const request = signedWith(params);

    const inspected = inspectSignature(request, policy);

    expect(() => verifyMac(inspected, key)).not.toThrow();
    expect(inspected.parameters.keyid).toBe('enr:demo:1');
  });

  it.each([
    ['a tag', 'tag="app"', 'tag="web"'],
    [
      'the nonce',
      'nonce="abcdefghijklmnop0123"',
      'nonce="abcdefghijklmnop0124"',
    ],
    ['an unknown parameter', 'x-note="a"', 'x-note="b"'],
  ])('refuses a tampered parameter value with %s', (_case, sent, changed) => {
    const request = signedWith(
      `;${keyid};${created};${nonce};tag="app";x-note="a"`,
    );
    const input = request.headers['signature-input']?.replace(sent, changed);

    const error = failure(() =>
      verifyMac(
        inspectSignature(
          with_(request, { set: { 'signature-input': input } }),
          policy,
        ),
        key,
      ),
    );

    expect(error.check).toBe('bad-signature');
  });

  it('refuses parameters sent in another order than signed', () => {
    const request = signedWith(`;${keyid};${created};${nonce}`);
    const input = `m2m=${components};${created};${nonce};${keyid}`;

    const error = failure(() =>
      verifyMac(
        inspectSignature(
          with_(request, { set: { 'signature-input': input } }),
          policy,
        ),
        key,
      ),
    );

    expect(error.check).toBe('bad-signature');
  });

  it('still refuses a tag that is not a string', () => {
    const request = signedWith(`;${created};${nonce};${keyid};tag=app`);

    const error = failure(() => inspectSignature(request, policy));

    expect(error.check).toBe('malformed-signature-input');
    expect(error.message).toMatch(/tag/);
  });
});
