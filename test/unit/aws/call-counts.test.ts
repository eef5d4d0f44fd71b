import { beforeEach, describe, expect, it } from 'vitest';
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

const cloud = new FakeCloud();

type Counts = ReturnType<FakeCloud['callCounts']>;

/** The AWS calls `act` makes, by service. */
async function callsOf(act: () => Promise<unknown>): Promise<Counts> {
  cloud.dynamo.resetHistory();
  cloud.scheduler.resetHistory();
  cloud.kms.resetHistory();
  await act();
  return cloud.callCounts();
}

const retrieve = request({
  method: 'GET',
  path: '/cse-in/lightApp',
  origin: 'Clight',
});
const update = request({
  method: 'PUT',
  path: '/cse-in/lightApp',
  origin: 'Clight',
  body: { 'm2m:ae': { lbl: ['kitchen'], et: '20260301T150000' } },
});
const remove = request({
  method: 'DELETE',
  path: '/cse-in/lightApp',
  origin: 'Clight',
});

/**
 * AWS calls per operation as the code stands; the README's cost section
 * is computed from these. A change in the adapters or the procedure that
 * adds a call makes this test fail on purpose.
 *
 * Where they go: a registration reads the stem and the name (2 GetItem),
 * claims both (1 TransactWriteItems), audits (1 PutItem) and creates its
 * schedule; signed mode adds the enrollment and failure-counter reads, the
 * nonce put and the counter clear (4 calls) and one GenerateMac per
 * derived key (Km is then cached for 5 minutes). An update re-arms with
 * CreateSchedule, then UpdateSchedule on its ConflictException; a delete
 * reads the name claim and the record, then the record twice more (the
 * procedure reads it again, and `remove` needs its `rn`), deletes both
 * in one transaction, audits and deletes the schedule.
 */
describe('AWS calls per operation', () => {
  beforeEach(() => {
    cloud.reset();
    clock.time = START;
  });

  it('counts them in open mode', async () => {
    const { registrar } = registrarOverAws('open');

    const counts = {
      register: await callsOf(async () => {
        const created = await registrar.handle(createAe('Clight', 'lightApp'));
        expect(rsc(created)).toBe('2001');
      }),
      retrieve: await callsOf(() => registrar.handle(retrieve)),
      update: await callsOf(() => registrar.handle(update)),
      delete: await callsOf(() => registrar.handle(remove)),
    };

    expect(counts).toEqual({
      register: { dynamo: 4, scheduler: 1, kms: 0 },
      retrieve: { dynamo: 2, scheduler: 0, kms: 0 },
      update: { dynamo: 4, scheduler: 2, kms: 0 },
      delete: { dynamo: 6, scheduler: 1, kms: 0 },
    });
  });

  it('counts them in signed mode with a cold key cache', async () => {
    cloud.items.set(JSON.stringify(['ENR', 'plant-7']), enrollmentItem);
    const { registrar } = registrarOverAws('signed');
    const km = await fakeDerivation.masterCredential('plant-7', 1);

    const register = await callsOf(async () => {
      const created = await registrar.handle(
        signed(createAe('Clight', 'lightApp'), 'enr:plant-7:1', km),
      );
      expect(rsc(created)).toBe('2001');
    });

    expect(register).toEqual({ dynamo: 8, scheduler: 1, kms: 2 });
  });

  it('counts an expiry callback that ends a registration, and a stale one', async () => {
    const { registrar } = registrarOverAws('open');
    await registrar.handle(createAe('Clight', 'lightApp'));
    clock.time = START + 2 * 3_600_000;

    const expiry = await callsOf(() => registrar.expire('Clight'));
    const stale = await callsOf(() => registrar.expire('Clight'));

    expect({ expiry, stale }).toEqual({
      expiry: { dynamo: 4, scheduler: 1, kms: 0 },
      stale: { dynamo: 1, scheduler: 0, kms: 0 },
    });
  });
});
