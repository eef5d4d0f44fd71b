import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { sweepExpired } from '#registrar/handlers/expiry-sweep.ts';
import { silentLogger } from '#registrar/ports/logger.ts';
import { FakeCloud, type Fault } from './fake-cloud.ts';
import {
  clock,
  createAe,
  enrollmentItem,
  fakeDerivation,
  REGISTRATION_KEY_ID,
  registrarOverAws,
  request,
  rsc,
  START,
  signed,
} from './registrar-over-aws.ts';

const cloud = new FakeCloud();

/** A fault on the `nth` call (1-based) of `command` whose input matches. */
function failing(
  command: string,
  matches: (input: Record<string, unknown>) => boolean = () => true,
  error: Error = new Error('InternalServerError'),
): Fault {
  return (name, input) =>
    name === command && matches(input as Record<string, unknown>)
      ? error
      : undefined;
}

function pkOf(input: Record<string, unknown>): string {
  return String((input.Item as Record<string, unknown> | undefined)?.pk);
}

/** What remains of a registration: items and schedules. */
function leftovers() {
  return {
    registrations: cloud.itemsUnder('REG#').length,
    nameClaims: cloud.itemsUnder('NAME#').length,
    schedules: cloud.schedules.size,
  };
}

const nothingLeft = { registrations: 0, nameClaims: 0, schedules: 0 };

describe('a registration over the AWS adapters', () => {
  beforeEach(() => {
    cloud.reset();
    clock.time = START;
  });

  it('leaves a record, a name claim and a schedule when all goes well', async () => {
    const { registrar } = registrarOverAws('open');

    const response = await registrar.handle(createAe('Clight', 'lightApp'));

    expect(rsc(response)).toBe('2001');
    expect(leftovers()).toEqual({
      registrations: 1,
      nameClaims: 1,
      schedules: 1,
    });
  });

  it.each([
    ['the insert transaction', failing('TransactWriteItems')],
    ['the schedule create', failing('CreateSchedule')],
    [
      'the audit record',
      failing('PutItem', (input) => pkOf(input).startsWith('AUDIT#')),
    ],
  ])('answers 5000 and leaves nothing when %s fails', async (_, fault) => {
    const { registrar } = registrarOverAws('open');
    cloud.fault = fault;

    const response = await registrar.handle(createAe('Clight', 'lightApp'));

    expect(rsc(response)).toBe('5000');
    expect(leftovers()).toEqual(nothingLeft);
  });

  it('answers 5000 and leaves nothing when KMS fails to derive the secret', async () => {
    cloud.items.set(JSON.stringify(['ENR', 'plant-7']), enrollmentItem);
    const { registrar } = registrarOverAws('signed');
    cloud.fault = failing(
      'GenerateMac',
      (input) => input.KeyId === REGISTRATION_KEY_ID,
    );
    const km = await fakeDerivation.masterCredential('plant-7', 1);

    const response = await registrar.handle(
      signed(createAe('Clight', 'lightApp'), 'enr:plant-7:1', km),
    );

    expect(rsc(response)).toBe('5000');
    expect(leftovers()).toEqual(nothingLeft);
  });

  it.each([
    ['met a concurrent one', 'TransactionConflict'],
    ['was throttled', 'ThrottlingError'],
    ['exceeded the provisioned throughput', 'ProvisionedThroughputExceeded'],
  ])('answers 2001 after retrying a transaction that %s', async (_, code) => {
    const { registrar } = registrarOverAws('open');
    let cancellations = 1;
    cloud.fault = (name) => {
      if (name !== 'TransactWriteItems' || cancellations === 0) {
        return undefined;
      }
      cancellations -= 1;
      return new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: code }, { Code: 'None' }],
      });
    };

    const response = await registrar.handle(createAe('Clight', 'lightApp'));

    expect(rsc(response)).toBe('2001');
    expect(leftovers().registrations).toBe(1);
  });

  it.each([
    ['disarming the timer', failing('DeleteSchedule')],
    [
      'writing the audit record',
      failing('PutItem', (input) => pkOf(input).startsWith('AUDIT#')),
    ],
  ])(
    'answers 2002 to a Delete even when %s fails afterwards',
    async (_, fault) => {
      const { registrar } = registrarOverAws('open');
      await registrar.handle(createAe('Clight', 'lightApp'));
      cloud.fault = fault;

      const response = await registrar.handle(
        request({
          method: 'DELETE',
          path: '/cse-in/lightApp',
          origin: 'Clight',
        }),
      );

      expect(rsc(response)).toBe('2002');
      expect(leftovers().registrations).toBe(0);
      expect(leftovers().nameClaims).toBe(0);
    },
  );

  it('leaves a record without a schedule when the compensation fails too, until the sweep ends it', async () => {
    const { registrar, store } = registrarOverAws('open');
    let transactions = 0;
    cloud.fault = (name) => {
      if (name === 'CreateSchedule') {
        return new Error('InternalServerError');
      }
      if (name === 'TransactWriteItems' && ++transactions > 1) {
        return new Error('InternalServerError');
      }
      return undefined;
    };

    const response = await registrar.handle(createAe('Clight', 'lightApp'));
    const stranded = leftovers();
    cloud.fault = () => undefined;
    clock.time = START + 2 * 3_600_000;
    const swept = await sweepExpired({
      registrar,
      store,
      clock,
      logger: silentLogger,
    });

    expect(rsc(response)).toBe('5000');
    expect(stranded).toEqual({ registrations: 1, nameClaims: 1, schedules: 0 });
    expect(swept).toEqual({ found: 1, failed: 0 });
    expect(leftovers()).toEqual(nothingLeft);
  });

  it('reports an early expiry call as doing nothing', async () => {
    const { registrar } = registrarOverAws('open');
    await registrar.handle(createAe('Clight', 'lightApp'));

    const ended = await registrar.expire('Clight');

    expect(ended).toBe(false);
    expect(leftovers().registrations).toBe(1);
  });

  it('ends a registration on a late expiry and ignores a repeated one', async () => {
    const { registrar } = registrarOverAws('open');
    await registrar.handle(createAe('Clight', 'lightApp'));
    clock.time = START + 2 * 3_600_000;

    const first = await registrar.expire('Clight');
    const repeated = await registrar.expire('Clight');

    expect([first, repeated]).toEqual([true, false]);
    expect(leftovers()).toEqual(nothingLeft);
    const audit = cloud.itemsUnder('AUDIT#Clight').map((item) => item.action);
    expect(audit).toEqual(['registered', 'expired']);
  });
});
