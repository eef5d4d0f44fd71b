import { createHash } from 'node:crypto';
import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { type Clock, systemClock } from '#registrar/ports/clock.ts';
import type { ExpiryTimers } from '#registrar/ports/timers.ts';

/** What a schedule invokes; needed to arm, not to disarm. */
export interface ScheduleTarget {
  /** The expiry function's ARN (`M2M_EXPIRY_FUNCTION_ARN`). */
  readonly targetArn: string;
  /** The role Scheduler assumes to invoke it (`M2M_SCHEDULER_ROLE_ARN`). */
  readonly roleArn: string;
  /** The SQS queue for deliveries that failed (`M2M_SCHEDULE_DLQ_ARN`). */
  readonly deadLetterArn: string;
}

/** Where the schedules live and what they invoke. */
export interface SchedulerTimersConfig {
  /** The schedule group (`M2M_SCHEDULE_GROUP`). */
  readonly groupName: string;
  /**
   * What the schedules invoke. Absent in the expiry function, which only
   * disarms: its own ARN in its own environment would be a cycle in the
   * stack.
   */
  readonly target?: ScheduleTarget | undefined;
}

/** Arming was asked of timers configured without a target. */
export class NoScheduleTargetError extends Error {
  public constructor() {
    super('expiry timers without a schedule target cannot arm');
    this.name = 'NoScheduleTargetError';
  }
}

/**
 * Delivery retries: Scheduler's own maximums (185 attempts within 24 h).
 *
 * Spelled out because `UpdateSchedule` resets anything left out.
 */
export const EXPIRY_RETRY_POLICY = {
  MaximumEventAgeInSeconds: 86_400,
  MaximumRetryAttempts: 185,
} as const;

/**
 * The earliest a schedule is set for, from now.
 *
 * A registration that is due already (an `et` a moment away) gets a
 * schedule a few seconds ahead rather than one in the past, whose handling
 * by Scheduler is not something to rely on; firing a little late is
 * harmless because reads treat an expired registration as gone.
 */
export const MIN_LEAD_MS = 5_000;

const NAME_LIMIT = 64;

/**
 * The schedule name of `aei`: the name is the idempotency key of its timer.
 *
 * Scheduler names are 1-64 characters of `[0-9a-zA-Z-_.]`. Letters,
 * digits, `-` and `.` are kept; every other character (`_`, `~`, anything
 * else) becomes `_` and the two hex digits of each of its UTF-8 bytes, so
 * `C~a_b` is `C_7ea_5fb` and the mapping is reversible. A result longer than
 * 64 characters is replaced by `_h` and the base64url SHA-256 of the stem
 * (45 characters); no escaped name starts with `_h` because `h` is not a
 * hex digit, so the two forms never collide.
 */
export function scheduleNameOf(aei: string): string {
  const escaped = Array.from(aei, escapeChar).join('');
  if (escaped.length > 0 && escaped.length <= NAME_LIMIT) {
    return escaped;
  }
  return `_h${createHash('sha256').update(aei, 'utf8').digest('base64url')}`;
}

function escapeChar(char: string): string {
  if (/^[A-Za-z0-9.-]$/.test(char)) {
    return char;
  }
  return Array.from(
    Buffer.from(char, 'utf8'),
    (byte) => `_${byte.toString(16).padStart(2, '0')}`,
  ).join('');
}

/**
 * The `at()` expression for `at` (epoch milliseconds), in UTC.
 *
 * Scheduler takes whole seconds, so a fractional second is rounded up: the
 * timer never fires before the registration has expired.
 */
export function atExpressionOf(at: number): string {
  const seconds = Math.ceil(at / 1000);
  const iso = new Date(seconds * 1000).toISOString();
  return `at(${iso.slice(0, 19)})`;
}

/**
 * {@link ExpiryTimers} as EventBridge Scheduler one-time schedules, one per
 * registration, in one group.
 *
 * Each schedule invokes the expiry function once with `{"aei": ...}` and
 * deletes itself afterwards. Arming an armed timer updates its schedule
 * with every field restated; disarming a missing one is done already.
 */
export class SchedulerExpiryTimers implements ExpiryTimers {
  readonly #client: SchedulerClient;
  readonly #config: SchedulerTimersConfig;
  readonly #clock: Clock;

  /** Uses `client` for the schedules of `config`. */
  public constructor(
    client: SchedulerClient,
    config: SchedulerTimersConfig,
    clock: Clock = systemClock,
  ) {
    this.#client = client;
    this.#config = config;
    this.#clock = clock;
  }

  /** @inheritdoc */
  public async arm(aei: string, at: number): Promise<void> {
    const input = this.#scheduleOf(aei, at);
    try {
      await this.#client.send(new CreateScheduleCommand(input));
    } catch (error) {
      if (!(error instanceof ConflictException)) {
        throw error;
      }
      await this.#update(input);
    }
  }

  /** @inheritdoc */
  public async disarm(aei: string): Promise<void> {
    try {
      await this.#client.send(
        new DeleteScheduleCommand({
          Name: scheduleNameOf(aei),
          GroupName: this.#config.groupName,
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) {
        throw error;
      }
    }
  }

  async #update(input: CreateScheduleInput): Promise<void> {
    try {
      await this.#client.send(new UpdateScheduleCommand(input));
    } catch (error) {
      // The old schedule fired and deleted itself between the two calls.
      if (!(error instanceof ResourceNotFoundException)) {
        throw error;
      }
      await this.#client.send(new CreateScheduleCommand(input));
    }
  }

  #scheduleOf(aei: string, at: number): CreateScheduleInput {
    const { groupName, target } = this.#config;
    if (target === undefined) {
      throw new NoScheduleTargetError();
    }
    const fireAt = Math.max(at, this.#clock.now() + MIN_LEAD_MS);
    return {
      Name: scheduleNameOf(aei),
      GroupName: groupName,
      ScheduleExpression: atExpressionOf(fireAt),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        Arn: target.targetArn,
        RoleArn: target.roleArn,
        Input: JSON.stringify({ aei }),
        DeadLetterConfig: { Arn: target.deadLetterArn },
        RetryPolicy: EXPIRY_RETRY_POLICY,
      },
    };
  }
}
