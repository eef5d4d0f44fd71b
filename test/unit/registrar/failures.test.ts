import { describe, expect, it } from 'vitest';
import { MemoryRegistrationStore } from '#registrar/adapters/memory/store.ts';
import { MemoryExpiryTimers } from '#registrar/adapters/memory/timers.ts';
import { VersionConflictError } from '#registrar/ports/store.ts';
import {
  aeBody,
  createRequest,
  harness,
  json,
  request,
  rsc,
} from './harness.ts';

class FailingTimers extends MemoryExpiryTimers {
  public failArm = true;

  public override async arm(aei: string, at: number): Promise<void> {
    if (this.failArm) {
      throw new Error('scheduler unavailable');
    }
    await super.arm(aei, at);
  }
}

const secretPoa = 'http://127.0.0.1:9990/secret-path';

describe('failures', () => {
  it('removes the record and answers 5000 when arming the timer fails', async () => {
    const timers = new FailingTimers();
    const { registrar, store, audit, logger } = harness({ timers });

    const response = await registrar.handle(
      createRequest('Clight', aeBody({ poa: [secretPoa] })),
    );

    expect(rsc(response)).toBe(5000);
    expect(response.status).toBe(500);
    expect(json(response)).toEqual({ 'm2m:dbg': 'internal error' });
    expect(await store.list()).toEqual([]);
    expect(audit.all()).toEqual([]);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'unexpected failure',
      }),
    );
    expect(JSON.stringify(logger.lines)).not.toContain('secret-path');
  });

  it('lets the stem register once the timers work again', async () => {
    const timers = new FailingTimers();
    const { registrar } = harness({ timers });
    await registrar.handle(createRequest('Clight'));
    timers.failArm = false;

    const response = await registrar.handle(createRequest('Clight'));

    expect(rsc(response)).toBe(2001);
  });

  it('removes the record and disarms when issuing the credential fails', async () => {
    const { registrar, store, timers } = harness({
      credentials: {
        issue: async () => {
          throw new Error('key service down');
        },
      },
    });

    const response = await registrar.handle(createRequest('Clight'));

    expect(rsc(response)).toBe(5000);
    expect(await store.list()).toEqual([]);
    expect(timers.armedAt('Clight')).toBeUndefined();
  });

  it('removes the record when the audit log fails on registration', async () => {
    const { registrar, store } = harness({
      audit: {
        append: async () => {
          throw new Error('audit table unavailable');
        },
        list: async () => [],
      },
    });

    const response = await registrar.handle(createRequest('Clight'));

    expect(rsc(response)).toBe(5000);
    expect(await store.list()).toEqual([]);
  });

  it.each([
    ['findByAei', 'GET'],
    ['findByName', 'GET'],
    ['insert', 'POST'],
  ])(
    'answers 5000 with a fixed message when %s throws',
    async (method, verb) => {
      const store = new MemoryRegistrationStore();
      Object.assign(store, {
        [method]: async () => {
          throw new Error('disk on fire: /var/lib/secret');
        },
      });
      const { registrar, logger } = harness({ store });
      const sent =
        verb === 'POST'
          ? createRequest('C')
          : request({
              path: method === 'findByName' ? '/cse-in/x' : '/Cx',
              headers: { 'x-m2m-origin': 'Cx' },
            });

      const response = await registrar.handle(sent);

      expect(rsc(response)).toBe(5000);
      expect(response.body).toBe('{"m2m:dbg":"internal error"}');
      expect(logger.lines).toContainEqual(
        expect.objectContaining({
          level: 'error',
          message: 'unexpected failure',
          fields: expect.objectContaining({
            cause: expect.objectContaining({
              message: 'disk on fire: /var/lib/secret',
            }),
          }),
        }),
      );
    },
  );

  it('answers 5000 when the authenticator fails unexpectedly', async () => {
    const { registrar } = harness({
      authenticator: {
        authenticate: async () => {
          throw new TypeError('boom');
        },
      },
    });

    const response = await registrar.handle(
      request({ headers: { 'x-m2m-origin': 'Cx' } }),
    );

    expect(rsc(response)).toBe(5000);
  });

  it('retries an Update that lost against a concurrent write', async () => {
    const { registrar, store } = harness();
    await registrar.handle(createRequest('Clight'));
    const replace = store.replace.bind(store);
    let conflicts = 2;
    store.replace = async (registration, expected) => {
      if (conflicts > 0) {
        conflicts -= 1;
        throw new VersionConflictError(registration.aei);
      }
      await replace(registration, expected);
    };

    const response = await registrar.handle(
      request({
        method: 'PUT',
        path: '/Clight',
        headers: { 'x-m2m-origin': 'Clight' },
        body: { 'm2m:ae': { lbl: ['x'] } },
      }),
    );

    expect(rsc(response)).toBe(2004);
    expect((await store.findByAei('Clight'))?.attributes.lbl).toEqual(['x']);
  });

  it('answers 5000 when every Update attempt conflicts', async () => {
    const { registrar, store } = harness();
    await registrar.handle(createRequest('Clight'));
    store.replace = async (registration) => {
      throw new VersionConflictError(registration.aei);
    };

    const response = await registrar.handle(
      request({
        method: 'PUT',
        path: '/Clight',
        headers: { 'x-m2m-origin': 'Clight' },
        body: { 'm2m:ae': { lbl: ['x'] } },
      }),
    );

    expect(rsc(response)).toBe(5000);
  });

  it('puts the previous record back when re-arming on Update fails', async () => {
    const timers = new FailingTimers();
    timers.failArm = false;
    const { registrar, store, clock } = harness({ timers });
    await registrar.handle(createRequest('Clight'));
    timers.failArm = true;
    clock.advance(1000);

    const response = await registrar.handle(
      request({
        method: 'PUT',
        path: '/Clight',
        headers: { 'x-m2m-origin': 'Clight' },
        body: { 'm2m:ae': { et: null, lbl: ['x'] } },
      }),
    );

    const stored = await store.findByAei('Clight');
    expect(rsc(response)).toBe(5000);
    expect(stored?.attributes.lbl).toBeUndefined();
    expect(stored?.version).toBe(3);
  });

  it('deletes even when a concurrent Update won the first attempt', async () => {
    const { registrar, store } = harness();
    await registrar.handle(createRequest('Clight'));
    const remove = store.remove.bind(store);
    let losses = 1;
    store.remove = async (aei, expected) => {
      if (losses > 0) {
        losses -= 1;
        return false;
      }
      return remove(aei, expected);
    };

    const response = await registrar.handle(
      request({
        method: 'DELETE',
        path: '/Clight',
        headers: { 'x-m2m-origin': 'Clight' },
      }),
    );

    expect(rsc(response)).toBe(2002);
    expect(await store.list()).toEqual([]);
  });
});

describe('request log', () => {
  it.each([
    ['a success at info', createRequest('Clight'), 'info', 2001],
    ['a caller mistake at warn', createRequest('/id-in'), 'warn', 4107],
    [
      'an unproducible Accept (5207) at warn',
      createRequest('Clight', aeBody(), {
        headers: { accept: 'application/cbor' },
      }),
      'warn',
      5207,
    ],
    [
      'an unsupported release (4001) at warn',
      createRequest('Clight', aeBody(), { headers: { 'x-m2m-rvi': '1' } }),
      'warn',
      4001,
    ],
    [
      'an expired request (4008) at warn',
      createRequest('Clight', aeBody(), {
        headers: { 'x-m2m-ret': '20000101T000000' },
      }),
      'warn',
      4008,
    ],
  ])('writes one line for %s', async (_case, sent, level, code) => {
    const { registrar, logger } = harness();

    await registrar.handle(sent);

    const handled = logger.lines.filter(
      (line) => line.message === 'request handled',
    );
    expect(handled).toEqual([
      expect.objectContaining({
        level,
        fields: expect.objectContaining({
          rsc: code,
          operation: 'create',
          requestId: 'r1',
        }),
      }),
    ]);
  });

  it('writes a failure at error with the operation and request id', async () => {
    const { registrar, logger } = harness({ timers: new FailingTimers() });

    await registrar.handle(createRequest('Clight'));

    const handled = logger.lines.filter(
      (line) => line.message === 'request handled',
    );
    expect(handled).toEqual([
      expect.objectContaining({
        level: 'error',
        fields: expect.objectContaining({
          rsc: 5000,
          operation: 'create',
          requestId: 'r1',
        }),
      }),
    ]);
  });

  it('names the operation but no request id when the RI is missing', async () => {
    const { registrar, logger } = harness();

    await registrar.handle(
      createRequest('Clight', aeBody(), { headers: { 'x-m2m-ri': undefined } }),
    );

    expect(logger.lines.at(-1)).toEqual({
      level: 'warn',
      message: 'request handled',
      fields: {
        operation: 'create',
        rsc: 4000,
        reason: 'X-M2M-RI is required',
      },
    });
  });

  it('names the AE-ID and never a poa', async () => {
    const { registrar, logger } = harness();

    await registrar.handle(
      createRequest('Clight', aeBody({ poa: [secretPoa] })),
    );

    expect(logger.lines.at(-1)?.fields.aei).toBe('Clight');
    expect(JSON.stringify(logger.lines)).not.toContain('secret-path');
  });

  it('keeps poa out of audit records', async () => {
    const { registrar, audit } = harness();

    await registrar.handle(
      createRequest('Clight', aeBody({ poa: [secretPoa] })),
    );

    expect(JSON.stringify(audit.all())).not.toContain('secret-path');
  });
});

describe('a broken logger', () => {
  it('still gets an answer, never a throw', async () => {
    const throwing = () => {
      throw new Error('log sink closed');
    };
    const logger = {
      debug: throwing,
      info: throwing,
      warn: throwing,
      error: throwing,
      child: () => logger,
    };
    const { registrar } = harness({
      logger,
      authenticator: {
        authenticate: async () => {
          throw new Error('unexpected');
        },
      },
    });

    const response = await registrar.handle(createRequest('Clight'));

    expect(rsc(response)).toBe(5000);
  });
});
