import type { ExpiryTimers } from '#registrar/ports/timers.ts';

/**
 * {@link ExpiryTimers} that only record what is armed; nothing fires by
 * itself. Tests read {@link MemoryExpiryTimers.armedAt} and call the
 * registrar's `expire` when they decide a timer fired.
 */
export class MemoryExpiryTimers implements ExpiryTimers {
  readonly #armed = new Map<string, number>();

  /** @inheritdoc */
  public async arm(aei: string, at: number): Promise<void> {
    this.#armed.set(aei, at);
  }

  /** @inheritdoc */
  public async disarm(aei: string): Promise<void> {
    this.#armed.delete(aei);
  }

  /** When the timer of `aei` fires, or `undefined` when none is armed. */
  public armedAt(aei: string): number | undefined {
    return this.#armed.get(aei);
  }

  /** The AE-IDs whose timers are due at `now`, earliest first. */
  public due(now: number): string[] {
    return [...this.#armed.entries()]
      .filter(([, at]) => at <= now)
      .sort(([, a], [, b]) => a - b)
      .map(([aei]) => aei);
  }
}
