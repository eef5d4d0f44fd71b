import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  atExpressionOf,
  NoScheduleTargetError,
  SchedulerExpiryTimers,
  scheduleNameOf,
} from '#registrar/adapters/aws/scheduler-timers.ts';

const scheduler = mockClient(SchedulerClient);

const target = {
  targetArn: 'arn:aws:lambda:eu-west-1:111122223333:function:expiry',
  roleArn: 'arn:aws:iam::111122223333:role/scheduler',
  deadLetterArn: 'arn:aws:sqs:eu-west-1:111122223333:expiry-dlq',
};

const config = { groupName: 'm2m-expiry', target };

const now = Date.parse('2026-03-01T12:00:00.000Z');
const clock = { now: () => now };

function timers(): SchedulerExpiryTimers {
  return new SchedulerExpiryTimers(new SchedulerClient({}), config, clock);
}

function expectedSchedule(name: string, expression: string, aei: string) {
  return {
    Name: name,
    GroupName: 'm2m-expiry',
    ScheduleExpression: expression,
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    State: 'ENABLED',
    Target: {
      Arn: target.targetArn,
      RoleArn: target.roleArn,
      Input: JSON.stringify({ aei }),
      DeadLetterConfig: { Arn: target.deadLetterArn },
      RetryPolicy: {
        MaximumEventAgeInSeconds: 86_400,
        MaximumRetryAttempts: 185,
      },
    },
  };
}

function conflict(): ConflictException {
  return new ConflictException({
    message: 'exists',
    Message: 'exists',
    $metadata: {},
  });
}

function notFound(): ResourceNotFoundException {
  return new ResourceNotFoundException({
    message: 'gone',
    Message: 'gone',
    $metadata: {},
  });
}

describe('atExpressionOf', () => {
  it.each([
    ['a whole second', '2026-03-01T12:30:00.000Z', 'at(2026-03-01T12:30:00)'],
    [
      'a fraction of a second',
      '2026-03-01T12:30:00.001Z',
      'at(2026-03-01T12:30:01)',
    ],
    [
      'the end of a month',
      '2026-04-30T23:59:59.500Z',
      'at(2026-05-01T00:00:00)',
    ],
    [
      'the end of a year',
      '2026-12-31T23:59:59.999Z',
      'at(2027-01-01T00:00:00)',
    ],
    ['a leap day', '2028-02-29T08:05:09.000Z', 'at(2028-02-29T08:05:09)'],
  ])('rounds %s up to the next whole UTC second', (_, iso, expression) => {
    const at = Date.parse(iso);

    const result = atExpressionOf(at);

    expect(result).toBe(expression);
  });
});

describe('scheduleNameOf', () => {
  it.each([
    ['CmySensor-01.a', 'CmySensor-01.a'],
    ['C~x', 'C_7ex'],
    ['C_x', 'C_5fx'],
    ['S~_', 'S_7e_5f'],
  ])('maps %s to %s', (aei, name) => {
    const result = scheduleNameOf(aei);

    expect(result).toBe(name);
  });

  it('keeps every name within 1-64 characters of [0-9a-zA-Z-_.]', () => {
    const stems = ['C', 'C'.repeat(64), `C${'~'.repeat(30)}`, 'C'.repeat(300)];

    const names = stems.map(scheduleNameOf);

    for (const name of names) {
      expect(name).toMatch(/^[0-9a-zA-Z\-_.]{1,64}$/);
    }
  });

  it('hashes a stem whose escaped form exceeds 64 characters', () => {
    const long = `C${'~'.repeat(22)}`;

    const name = scheduleNameOf(long);

    expect(name).toMatch(/^_h[A-Za-z0-9_-]{43}$/);
    expect(scheduleNameOf(`${long}~`)).not.toBe(name);
  });

  it('keeps a stem of exactly 64 safe characters as it is', () => {
    const stem = `C${'a'.repeat(63)}`;

    const name = scheduleNameOf(stem);

    expect(name).toBe(stem);
  });

  it('gives distinct stems distinct names', () => {
    const stems = ['C_7e', 'C~', 'C_', 'C_5f', 'C.', 'C-'];

    const names = new Set(stems.map(scheduleNameOf));

    expect(names.size).toBe(stems.length);
  });
});

describe('SchedulerExpiryTimers', () => {
  beforeEach(() => {
    scheduler.reset();
  });

  it('creates a one-time schedule that invokes the expiry function', async () => {
    scheduler.on(CreateScheduleCommand).resolves({});
    const at = Date.parse('2026-03-01T13:00:00.250Z');

    await timers().arm('C~dev', at);

    expect(scheduler.calls()).toHaveLength(1);
    expect(
      scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input,
    ).toEqual(expectedSchedule('C_7edev', 'at(2026-03-01T13:00:01)', 'C~dev'));
  });

  it('updates the whole schedule when the timer is armed already', async () => {
    scheduler.on(CreateScheduleCommand).rejects(conflict());
    scheduler.on(UpdateScheduleCommand).resolves({});
    const at = Date.parse('2026-03-02T00:00:00.000Z');

    await timers().arm('Cdev', at);

    expect(scheduler.calls()).toHaveLength(2);
    expect(
      scheduler.commandCalls(UpdateScheduleCommand)[0]?.args[0].input,
    ).toEqual(expectedSchedule('Cdev', 'at(2026-03-02T00:00:00)', 'Cdev'));
  });

  it('creates the schedule again when it fired and vanished before the update', async () => {
    scheduler.on(CreateScheduleCommand).rejectsOnce(conflict()).resolves({});
    scheduler.on(UpdateScheduleCommand).rejects(notFound());
    const at = Date.parse('2026-03-02T00:00:00.000Z');

    await timers().arm('Cdev', at);

    const creates = scheduler.commandCalls(CreateScheduleCommand);
    expect(creates).toHaveLength(2);
    expect(creates[1]?.args[0].input).toEqual(
      expectedSchedule('Cdev', 'at(2026-03-02T00:00:00)', 'Cdev'),
    );
  });

  it('sets a timer that is due already a few seconds ahead', async () => {
    scheduler.on(CreateScheduleCommand).resolves({});

    await timers().arm('Cdev', now - 60_000);

    expect(
      scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input
        .ScheduleExpression,
    ).toBe('at(2026-03-01T12:00:05)');
  });

  it('propagates any other failure of the create', async () => {
    scheduler.on(CreateScheduleCommand).rejects(new Error('throttled'));

    const attempt = timers().arm('Cdev', now + 60_000);

    await expect(attempt).rejects.toThrow('throttled');
    expect(scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
  });

  it('deletes the schedule of the stem in its group', async () => {
    scheduler.on(DeleteScheduleCommand).resolves({});

    await timers().disarm('C~dev');

    expect(scheduler.calls()).toHaveLength(1);
    expect(
      scheduler.commandCalls(DeleteScheduleCommand)[0]?.args[0].input,
    ).toEqual({
      Name: 'C_7edev',
      GroupName: 'm2m-expiry',
    });
  });

  it('refuses to arm without a target, and still disarms', async () => {
    scheduler.on(DeleteScheduleCommand).resolves({});
    const client = new SchedulerClient({});
    const disarmOnly = new SchedulerExpiryTimers(client, {
      groupName: 'm2m-expiry',
    });

    const arming = disarmOnly.arm('Cdev', now + 60_000);
    const disarming = disarmOnly.disarm('Cdev');

    await expect(arming).rejects.toBeInstanceOf(NoScheduleTargetError);
    await expect(disarming).resolves.toBeUndefined();
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);
  });

  it('treats a missing schedule as disarmed', async () => {
    scheduler.on(DeleteScheduleCommand).rejects(notFound());

    const attempt = timers().disarm('Cdev');

    await expect(attempt).resolves.toBeUndefined();
  });

  it('propagates any other failure of the delete', async () => {
    scheduler.on(DeleteScheduleCommand).rejects(new Error('denied'));

    const attempt = timers().disarm('Cdev');

    await expect(attempt).rejects.toThrow('denied');
  });
});
