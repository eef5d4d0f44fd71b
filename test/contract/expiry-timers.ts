import { describe, expect, it } from 'vitest';
import type { ExpiryTimers } from '#registrar/ports/timers.ts';

/** Makes timers with nothing armed. */
export type TimersFactory = () => ExpiryTimers | Promise<ExpiryTimers>;

/**
 * What every {@link ExpiryTimers} shares that can be seen through the port
 * alone: both operations are idempotent and a missing timer counts as
 * disarmed. Firing differs per adapter and is tested with each.
 */
export function describeExpiryTimersContract(
  name: string,
  makeTimers: TimersFactory,
): void {
  describe(`ExpiryTimers contract: ${name}`, () => {
    const at = Date.now() + 3_600_000;

    it('arms a timer again, at another time, without failing', async () => {
      const timers = await makeTimers();

      await timers.arm('Cone', at);
      const again = timers.arm('Cone', at + 60_000);

      await expect(again).resolves.toBeUndefined();
    });

    it('disarms an armed timer, and then again', async () => {
      const timers = await makeTimers();
      await timers.arm('Cone', at);

      const first = timers.disarm('Cone');
      await expect(first).resolves.toBeUndefined();
      const second = timers.disarm('Cone');

      await expect(second).resolves.toBeUndefined();
    });

    it('disarms a timer that was never armed', async () => {
      const timers = await makeTimers();

      const disarmed = timers.disarm('Cnever');

      await expect(disarmed).resolves.toBeUndefined();
    });

    it('arms a timer for a stem with characters outside [A-Za-z0-9]', async () => {
      const timers = await makeTimers();

      const armed = timers.arm('C~odd_stem.-1', at);

      await expect(armed).resolves.toBeUndefined();
      await timers.disarm('C~odd_stem.-1');
    });
  });
}
