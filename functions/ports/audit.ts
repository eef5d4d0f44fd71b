/** The lifecycle transitions that leave an audit record. */
export type AuditAction =
  | 'registered'
  | 'updated'
  | 'rotated'
  | 'deleted'
  | 'revoked'
  | 'expired';

/** One audit record. Never holds secrets or `poa` values. */
export interface AuditRecord {
  readonly aei: string;
  readonly action: AuditAction;
  /** Epoch milliseconds. */
  readonly at: number;
  /** Who caused it: an originator, `operator`, or `timer`. */
  readonly actor: string;
  /** The request id, when a request caused it. */
  readonly requestId?: string | undefined;
  /** Small, non-secret facts (new `et`, generation, enrollment). */
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

/** Append-only audit trail, kept apart from the registrations. */
export interface AuditLog {
  append(record: AuditRecord): Promise<void>;
  /** The records of `aei`, oldest first. */
  list(aei: string): Promise<AuditRecord[]>;
}
