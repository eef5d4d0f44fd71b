import type {
  FailureCounters,
  FailureRecord,
} from '#registrar/ports/lockout.ts';

/** {@link FailureCounters} in a `Map`, for unit tests. */
export class MemoryFailureCounters implements FailureCounters {
  readonly #records = new Map<string, FailureRecord>();

  /** @inheritdoc */
  public async read(subject: string): Promise<FailureRecord | undefined> {
    return this.#records.get(subject);
  }

  /** @inheritdoc */
  public async recordFailure(
    subject: string,
    at: number,
    forgetBefore: number,
  ): Promise<FailureRecord> {
    const previous = this.#records.get(subject);
    const count =
      previous === undefined || previous.lastFailureAt < forgetBefore
        ? 1
        : previous.count + 1;
    const record = { count, lastFailureAt: at };
    this.#records.set(subject, record);
    return record;
  }

  /** @inheritdoc */
  public async clear(subject: string): Promise<void> {
    this.#records.delete(subject);
  }
}
