import { describe, expect, it } from 'vitest';
import { prepareRequest } from '#registrar/client/request.ts';
import { formatExchange } from '#registrar/tools/print-exchange.ts';

const secret = Buffer.alloc(32, 9).toString('base64url');
const request = prepareRequest(
  'http://127.0.0.1:8080',
  { method: 'POST', path: '/cse-in', ty: 2, body: { 'm2m:ae': { api: 'N' } } },
  { credential: { keyid: 'enr:demo:1', key: Buffer.alloc(32, 1) } },
);
const response = {
  rsc: 2001,
  status: 201,
  headers: { 'x-m2m-rsc': '2001', 'x-m2m-ri': request.requestId },
  body: {
    'm2m:ae': { aei: 'Cabc' },
    'm2m-registrar:cred': { kid: 'reg:Cabc:0', key: secret },
  },
};

describe('formatExchange', () => {
  it('shows the request line, the signature headers and the answer', () => {
    const text = formatExchange(request, response);

    expect(text).toMatch(/^POST \/cse-in HTTP\/1.1\n/);
    expect(text).toContain('Signature-Input: m2m=(');
    expect(text).toContain('HTTP/1.1 201\nx-m2m-rsc: 2001');
    expect(text).toContain('"kid": "reg:Cabc:0"');
  });

  it('masks the registration secret of the answer', () => {
    const text = formatExchange(request, response);

    expect(text).not.toContain(secret);
    expect(text).toContain('"key": "<hidden: 43 characters>"');
  });
});
