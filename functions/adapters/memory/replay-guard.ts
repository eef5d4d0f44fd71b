import type { ReplayGuard } from '#registrar/ports/replay.ts';

/**
 * A {@link ReplayGuard} in a `Map`, for unit tests: it forgets everything
 * on restart, which only a single short-lived process can afford.
 *
 * Pairs whose time is up are swept whenever the map has grown past
 * `sweepAbove` entries since the last sweep.
 */
export class MemoryReplayGuard implements ReplayGuard {
  readonly #until = new Map<string, number>();
  readonly #sweepAbove: number;
  #sizeAfterSweep = 0;

  /** @param sweepAbove entries added before expired ones are swept. */
  public constructor(sweepAbove = 10_000) {
    this.#sweepAbove = sweepAbove;
  }

  /** How many pairs are remembered (expired or not). */
  public get size(): number {
    return this.#until.size;
  }

  /** @inheritdoc */
  public async claim(
    keyid: string,
    nonce: string,
    until: number,
    now: number,
  ): Promise<boolean> {
    if (this.#until.size - this.#sizeAfterSweep >= this.#sweepAbove) {
      this.#sweep(now);
    }
    const key = JSON.stringify([keyid, nonce]);
    const remembered = this.#until.get(key);
    if (remembered !== undefined && remembered > now) {
      return false;
    }
    this.#until.set(key, until);
    return true;
  }

  #sweep(now: number): void {
    for (const [key, until] of this.#until) {
      if (until <= now) {
        this.#until.delete(key);
      }
    }
    this.#sizeAfterSweep = this.#until.size;
  }
}
