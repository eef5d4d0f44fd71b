import type { AuditLog, AuditRecord } from '#registrar/ports/audit.ts';

/** An {@link AuditLog} in an array, for unit tests. */
export class MemoryAuditLog implements AuditLog {
  readonly #records: AuditRecord[] = [];

  /** @inheritdoc */
  public async append(record: AuditRecord): Promise<void> {
    this.#records.push(structuredClone(record));
  }

  /** @inheritdoc */
  public async list(aei: string): Promise<AuditRecord[]> {
    return this.#records
      .filter((record) => record.aei === aei)
      .map((record) => structuredClone(record));
  }

  /** Every record, oldest first. */
  public all(): AuditRecord[] {
    return this.#records.map((record) => structuredClone(record));
  }
}
