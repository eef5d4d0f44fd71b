import { beforeEach, describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse } from '#registrar/onem2m/message.ts';
import type { Registrar } from '#registrar/registrar/registrar.ts';
import { ROTATION_PATH } from '#registrar/security/rotation.ts';
import { AWS_CALLS, type OperationCalls } from '#registrar/tools/aws-calls.ts';
import { ledger } from './call-ledger.ts';
import { FakeCloud } from './fake-cloud.ts';
import {
  clock,
  createAe,
  enrollmentItem,
  fakeDerivation,
  registrarOverAws,
  request,
  rsc,
  START,
  signed,
} from './registrar-over-aws.ts';

/*
 * AWS calls per operation, signed mode, over the real adapters and a fake
 * cloud. functions/tools/aws-calls.ts holds the expected counts, and
 * `npm run cost` and the README's cost section are computed from them: a
 * change that adds or removes a call fails here first, on purpose.
 *
 * Each operation runs on a freshly composed registrar, as in a new Lambda
 * environment: no derived key is cached ("cold").
 */
const cloud = new FakeCloud();

/** A new registrar: a Lambda environment with nothing cached. */
function coldRegistrar(): Registrar {
  return registrarOverAws('signed').registrar;
}

/** The calls `act` makes, with what brings it about. */
async function callsOf(
  kind: 'request' | 'schedule',
  act: () => Promise<HttpResponse | undefined>,
  expectedRsc?: string,
): Promise<OperationCalls> {
  cloud.dynamo.resetHistory();
  cloud.scheduler.resetHistory();
  cloud.kms.resetHistory();
  const response = await act();
  if (expectedRsc !== undefined) {
    expect(response && rsc(response)).toBe(expectedRsc);
  }
  return ledger(cloud, { kind });
}

/** Registers `Clight` and returns its registration secret. */
async function register(registrar = coldRegistrar()): Promise<Uint8Array> {
  const km = await fakeDerivation.masterCredential('plant-7', 1);
  const response = await registrar.handle(
    signed(createAe('Clight', 'lightApp'), 'enr:plant-7:1', km),
  );
  expect(rsc(response)).toBe('2001');
  const cred = JSON.parse(String(response.body))['m2m-registrar:cred'];
  return Buffer.from(cred.key, 'base64url');
}

/** A request of `Clight` signed with its generation-0 secret `ks`. */
function byTheAe(
  ks: Uint8Array,
  method: string,
  path: string,
  body?: unknown,
): HttpRequest {
  return signed(
    request({ method, path, origin: 'Clight', body }),
    'reg:Clight:0',
    ks,
  );
}

describe('AWS calls per operation (signed mode)', () => {
  beforeEach(() => {
    cloud.reset();
    clock.time = START;
    cloud.items.set(JSON.stringify(['ENR', 'plant-7']), enrollmentItem);
  });

  it('counts a registration', async () => {
    const calls = await callsOf('request', async () => {
      await register();
      return undefined;
    });

    expect(calls).toEqual(AWS_CALLS.register);
  });

  it('counts a retrieve, cold and with the secret cached', async () => {
    const warm = coldRegistrar();
    const ks = await register(warm);
    const get = () => byTheAe(ks, 'GET', '/cse-in/lightApp');

    const cold = await callsOf(
      'request',
      () => coldRegistrar().handle(get()),
      '2000',
    );
    const cached = await callsOf('request', () => warm.handle(get()), '2000');

    expect({ cold, cached }).toEqual({
      cold: AWS_CALLS.retrieve,
      cached: AWS_CALLS.retrieveWarm,
    });
  });

  it('counts an update that renews et', async () => {
    const ks = await register();
    const renew = byTheAe(ks, 'PUT', '/cse-in/lightApp', {
      'm2m:ae': { lbl: ['kitchen'], et: '20260301T150000' },
    });

    const calls = await callsOf(
      'request',
      () => coldRegistrar().handle(renew),
      '2004',
    );

    expect(calls).toEqual(AWS_CALLS.update);
  });

  it('counts a delete', async () => {
    const ks = await register();

    const calls = await callsOf(
      'request',
      () => coldRegistrar().handle(byTheAe(ks, 'DELETE', '/cse-in/lightApp')),
      '2002',
    );

    expect(calls).toEqual(AWS_CALLS.delete);
  });

  it('counts a rotation', async () => {
    const ks = await register();

    const calls = await callsOf(
      'request',
      () => coldRegistrar().handle(byTheAe(ks, 'POST', ROTATION_PATH)),
      '2004',
    );

    expect(calls).toEqual(AWS_CALLS.rotate);
  });

  it('counts an expiry: the fired schedule and the expiry function', async () => {
    await register();
    clock.time = START + 2 * 3_600_000;

    const calls = await callsOf('schedule', async () => {
      await coldRegistrar().expire('Clight');
      return undefined;
    });

    expect(calls).toEqual(AWS_CALLS.expiry);
    expect(cloud.itemsUnder('REG#')).toEqual([]);
  });

  it('counts one read for a late, repeated expiry callback', async () => {
    await register();
    clock.time = START + 2 * 3_600_000;
    await coldRegistrar().expire('Clight');

    const repeated = await callsOf('schedule', async () => {
      await coldRegistrar().expire('Clight');
      return undefined;
    });

    expect(repeated.dynamo).toEqual({
      consistentReads: 1,
      eventualReads: 0,
      writes: 0,
      transactionItems: 0,
    });
    expect(repeated.schedules).toEqual({ create: 0, update: 0, delete: 0 });
  });

  it('writes items under 1 KB, so each write is one request unit', async () => {
    const ks = await register();
    await coldRegistrar().handle(byTheAe(ks, 'GET', '/cse-in/lightApp'));

    const sizes = [...cloud.items.values()].map(
      (item) => JSON.stringify(item).length,
    );

    expect(sizes.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...sizes)).toBeLessThan(1024);
  });
});
