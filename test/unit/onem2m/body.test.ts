import { describe, expect, it } from 'vitest';
import {
  checkBodySize,
  decodeJsonBody,
  MAX_BODY_BYTES,
} from '#registrar/onem2m/body.ts';

describe('body', () => {
  it('accepts a body of exactly MAX_BODY_BYTES', () => {
    expect(() => checkBodySize(new Uint8Array(MAX_BODY_BYTES))).not.toThrow();
  });

  it('returns 4000 for a body one byte too large', () => {
    expect(() => checkBodySize(new Uint8Array(MAX_BODY_BYTES + 1))).toThrow(
      expect.objectContaining({ rsc: 4000, message: 'request body too large' }),
    );
  });

  it('decodes UTF-8 JSON', () => {
    const body = new TextEncoder().encode('{"m2m:ae":{"lbl":["küche"]}}');

    expect(decodeJsonBody(body)).toEqual({
      ok: true,
      value: { 'm2m:ae': { lbl: ['küche'] } },
    });
  });

  it.each([
    ['no body', undefined],
    ['an empty body', new Uint8Array()],
    ['invalid JSON', new TextEncoder().encode('{"m2m:ae":')],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0x7d])],
  ])('keeps a 4000 for %s', (_case, body) => {
    const decoded = decodeJsonBody(body);

    expect(decoded.ok).toBe(false);
    expect(decoded.ok ? undefined : decoded.error.rsc).toBe(4000);
  });
});
