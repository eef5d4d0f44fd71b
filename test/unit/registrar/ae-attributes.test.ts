import { describe, expect, it } from 'vitest';
import {
  aeContent,
  validateCreate,
  validateUpdate,
} from '#registrar/registrar/ae-attributes.ts';

const valid = { api: 'Nlight-switch', rr: true, srv: ['3'] };

function codeOf(action: () => unknown): number | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return (error as { rsc?: number }).rsc;
  }
}

describe('<AE> content on Create', () => {
  it.each([
    ['rn', { rn: 'lightApp' }],
    ['rn with every unreserved kind', { rn: 'a-b.c_d~9' }],
    ['et', { et: '20260102T000000' }],
    ['et with a fraction', { et: '20260102T000000,5' }],
    ['poa', { poa: ['http://127.0.0.1:9990', 'mqtt://broker:1883'] }],
    ['an empty poa', { poa: [] }],
    ['csz', { csz: ['application/json', 'application/cbor'] }],
    ['csz with the oneM2M types', { csz: ['application/vnd.onem2m-res+json'] }],
    ['lbl', { lbl: ['kitchen', 'light'] }],
    ['apn', { apn: 'light' }],
    ['nl', { nl: 'node-1' }],
    ['or', { or: 'http://example.org/onto' }],
    ['regs', { regs: 'x' }],
    ['trps', { trps: false }],
    ['esi', { esi: { sscl: ['x'] } }],
    ['acpi', { acpi: ['acp1'] }],
    ['at', { at: ['/id-mn'] }],
    ['aa', { aa: ['lbl'] }],
    ['daci', { daci: ['d1'] }],
    ['cstn', { cstn: 'Cowner' }],
    ['rr false', { rr: false }],
    ['several releases', { srv: ['2a', '3', '4', '5'] }],
  ])('accepts %s', (_case, extra) => {
    expect(codeOf(() => validateCreate({ ...valid, ...extra }, '3'))).toBe(
      undefined,
    );
  });

  it.each([
    ['ty', { ty: 2 }],
    ['ri', { ri: 'Cx' }],
    ['pi', { pi: 'id-in' }],
    ['ct', { ct: '20260101T000000' }],
    ['lt', { lt: '20260101T000000' }],
    ['aei', { aei: 'Cx' }],
    ['an unknown attribute', { unknown: 1 }],
    ['cr', { cr: 'Cx' }],
    ['cr as null', { cr: null }],
    ['an optional attribute as null', { lbl: null }],
    ['rn with a slash', { rn: 'a/b' }],
    ['rn with a space', { rn: 'a b' }],
    ['an empty rn', { rn: '' }],
    ['rn "."', { rn: '.' }],
    ['rn ".."', { rn: '..' }],
    ['a numeric rn', { rn: 7 }],
    ['et that is no timestamp', { et: '2026-01-02' }],
    ['et that is a number', { et: 20260102 }],
    ['api of a wrong type', { api: 5 }],
    ['api without a first N or R', { api: 'Xlight' }],
    ['api that is only N', { api: 'N' }],
    ['api with a space', { api: 'Nlight switch' }],
    ['api R with two parts', { api: 'Rabc.com' }],
    ['api R with an empty part', { api: 'Rabc..com.app' }],
    ['rr as a string', { rr: 'true' }],
    ['srv as a string', { srv: '3' }],
    ['an empty srv', { srv: [] }],
    ['srv with a number', { srv: [3] }],
    ['srv with a word', { srv: ['three'] }],
    ['poa as a string', { poa: 'http://127.0.0.1' }],
    ['poa with a relative URI', { poa: ['not a uri'] }],
    ['csz with XML', { csz: ['application/xml'] }],
    ['csz as a string', { csz: 'application/json' }],
    ['an empty lbl', { lbl: [] }],
    ['lbl with a number', { lbl: [1] }],
    ['apn as a list', { apn: ['x'] }],
    ['trps as a string', { trps: 'yes' }],
    ['esi as a list', { esi: [] }],
    ['acpi as a string', { acpi: 'acp1' }],
    ['nl as a number', { nl: 1 }],
    ['or as a boolean', { or: true }],
    ['regs as a number', { regs: 1 }],
    ['at as a string', { at: '/id-mn' }],
    ['aa as a number', { aa: 1 }],
    ['daci as an object', { daci: {} }],
    ['cstn as a list', { cstn: [] }],
  ])('returns 4000 for %s', (_case, extra) => {
    expect(codeOf(() => validateCreate({ ...valid, ...extra }, '3'))).toBe(
      4000,
    );
  });

  it.each(['api', 'rr', 'srv'])('returns 4000 when %s is missing', (name) => {
    const content: Record<string, unknown> = { ...valid };
    delete content[name];

    expect(codeOf(() => validateCreate(content, '3'))).toBe(4000);
  });

  it.each([
    ['N', 'Nx', '4'],
    ['R with three parts', 'Rcom.example.app', '4'],
    ['R with four parts', 'Rabc.com.example.app', '5'],
    ['lower-case r in release 2a', 'rcom.example.app', '2a'],
    ['lower-case r in release 3', 'rcom.example.app', '3'],
  ])('accepts an App-ID %s', (_case, api, release) => {
    expect(validateCreate({ ...valid, api }, release).api).toBe(api);
  });

  it.each(['4', '5'])(
    'returns 4000 for a lower-case r App-ID in release %s',
    (release) => {
      const content = { ...valid, api: 'rcom.example.app' };

      expect(codeOf(() => validateCreate(content, release))).toBe(4000);
    },
  );

  it('keeps the AE-chosen attributes apart from rn and et', () => {
    const content = { ...valid, rn: 'a', et: '20260102T000000', lbl: ['x'] };

    const created = validateCreate(content, '3');

    expect(created).toEqual({
      rn: 'a',
      et: '20260102T000000',
      api: 'Nlight-switch',
      attributes: { api: 'Nlight-switch', rr: true, srv: ['3'], lbl: ['x'] },
    });
  });
});

function messageOf(action: () => unknown): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const words = (count: number) => Array.from({ length: count }, () => 'w');
const long = (length: number) => 'x'.repeat(length);

describe('<AE> length limits', () => {
  it.each([
    ['lbl', { lbl: words(65) }, 'lbl must be a list of at most 64 strings'],
    [
      'poa',
      { poa: words(65).map((_, i) => `http://127.0.0.1:${9000 + i}`) },
      'poa must be a list of at most 64 strings',
    ],
    [
      'srv',
      { srv: words(65).map(() => '3') },
      'srv must be a list of at most 64 strings',
    ],
    ['acpi', { acpi: words(65) }, 'acpi must be a list of at most 64 strings'],
    [
      'a lbl entry',
      { lbl: [long(2049)] },
      'lbl must hold strings of at most 2048 characters',
    ],
    ['apn', { apn: long(2049) }, 'apn must be at most 2048 characters'],
    ['nl', { nl: long(2049) }, 'nl must be at most 2048 characters'],
    ['api', { api: `N${long(299)}` }, 'api must be at most 256 characters'],
  ])('names the limit of %s on Create', (_case, extra, message) => {
    const problem = messageOf(() =>
      validateCreate({ ...valid, ...extra }, '3'),
    );

    expect(problem).toBe(message);
  });

  it.each([
    ['lbl', { lbl: words(65) }, 'lbl must be a list of at most 64 strings'],
    ['apn', { apn: long(2049) }, 'apn must be at most 2048 characters'],
  ])('names the limit of %s on Update', (_case, extra, message) => {
    expect(messageOf(() => validateUpdate(extra, '3'))).toBe(message);
  });

  it.each([
    ['64 labels', { lbl: words(64) }],
    ['an apn of 2048 characters', { apn: long(2048) }],
    ['a label of 2048 characters', { lbl: [long(2048)] }],
    ['an api of 256 characters', { api: `N${long(255)}` }],
  ])('accepts %s', (_case, extra) => {
    expect(messageOf(() => validateCreate({ ...valid, ...extra }, '3'))).toBe(
      undefined,
    );
  });

  it.each([
    ['lbl', { lbl: 'kitchen' }, 'lbl must be a list of strings'],
    ['apn', { apn: 7 }, 'apn must be a string'],
    ['api', { api: 7 }, 'api must be a string'],
  ])(
    'keeps the type message for %s of a wrong type',
    (_case, extra, message) => {
      expect(messageOf(() => validateCreate({ ...valid, ...extra }, '3'))).toBe(
        message,
      );
    },
  );
});

describe('<AE> content on Update', () => {
  it.each([
    ['et', { et: '20260102T000000' }, { et: '20260102T000000' }],
    ['et null', { et: null }, { et: null }],
    ['rr', { rr: false }, { set: { rr: false } }],
    ['srv', { srv: ['4'] }, { set: { srv: ['4'] } }],
    [
      'poa',
      { poa: ['http://127.0.0.1:1'] },
      { set: { poa: ['http://127.0.0.1:1'] } },
    ],
    ['poa null', { poa: null }, { remove: ['poa'] }],
    [
      'csz',
      { csz: ['application/cbor'] },
      { set: { csz: ['application/cbor'] } },
    ],
    ['lbl', { lbl: ['a'] }, { set: { lbl: ['a'] } }],
    ['lbl null', { lbl: null }, { remove: ['lbl'] }],
    ['apn null', { apn: null }, { remove: ['apn'] }],
    ['acpi alone', { acpi: ['acp2'] }, { set: { acpi: ['acp2'] } }],
    ['nothing', {}, {}],
  ])('accepts %s', (_case, content, expected) => {
    const update = validateUpdate(content, '3');

    expect(update).toEqual({ et: undefined, set: {}, remove: [], ...expected });
  });

  it.each([
    ['rn', { rn: 'other' }],
    ['api', { api: 'Nother' }],
    ['ty', { ty: 2 }],
    ['ri', { ri: 'Cx' }],
    ['pi', { pi: 'id-in' }],
    ['ct', { ct: '20260101T000000' }],
    ['lt', { lt: '20260101T000000' }],
    ['aei', { aei: 'Cx' }],
    ['an unknown attribute', { unknown: 1 }],
    ['cr as null', { cr: null }],
    ['rr null', { rr: null }],
    ['srv null', { srv: null }],
    ['rr of a wrong type', { rr: 1 }],
    ['an empty srv', { srv: [] }],
    ['et that is no timestamp', { et: 'soon' }],
    ['csz with XML', { csz: ['text/xml'] }],
    ['an empty lbl', { lbl: [] }],
    ['acpi with another attribute', { acpi: ['a'], lbl: ['x'] }],
  ])('returns 4000 for %s', (_case, content) => {
    expect(codeOf(() => validateUpdate(content, '3'))).toBe(4000);
  });
});

describe('<AE> body root', () => {
  it.each([
    ['an array', []],
    ['a string', 'm2m:ae'],
    ['null', null],
  ])('returns 4000 for %s on both operations', (_case, body) => {
    expect(codeOf(() => aeContent(body, 'create'))).toBe(4000);
    expect(codeOf(() => aeContent(body, 'update'))).toBe(4000);
  });

  it.each([
    ['another root', { 'm2m:cnt': {} }],
    ['a second member', { 'm2m:ae': {}, extra: 1 }],
    ['no member', {}],
  ])('returns 4000 on Create and 4102 on Update for %s', (_case, body) => {
    expect(codeOf(() => aeContent(body, 'create'))).toBe(4000);
    expect(codeOf(() => aeContent(body, 'update'))).toBe(4102);
  });

  it('returns 4000 when m2m:ae is not an object', () => {
    expect(codeOf(() => aeContent({ 'm2m:ae': [] }, 'update'))).toBe(4000);
  });
});
