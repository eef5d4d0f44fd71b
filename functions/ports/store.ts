import type { Registration } from '#registrar/registrar/model.ts';

/**
 * Where registrations live: a file-backed store locally, DynamoDB in the
 * cloud.
 *
 * The store enforces the two uniqueness rules (stem and resource name) and
 * optimistic concurrency (`version`) itself, atomically, so that concurrent
 * requests leave exactly one winner. It knows nothing about expiry: callers
 * decide what an expired record means.
 */
export interface RegistrationStore {
  /**
   * Claims the stem and the name and stores `registration`, all or nothing.
   *
   * @throws {StemTakenError} a record with the same `aei` exists (checked
   *   first: when both clash, this is the error).
   * @throws {NameTakenError} a record with the same `rn` exists.
   */
  insert(registration: Registration): Promise<void>;

  /** The record whose `aei` is `aei`, expired or not. */
  findByAei(aei: string): Promise<Registration | undefined>;

  /** The record whose `rn` is `rn`, expired or not. */
  findByName(rn: string): Promise<Registration | undefined>;

  /**
   * Replaces the record with the same `aei` when its stored version is
   * `expectedVersion`. `registration.version` must be `expectedVersion + 1`.
   * The name never changes (`rn` is not updatable).
   *
   * @throws {VersionConflictError} the record is gone or has another version.
   */
  replace(registration: Registration, expectedVersion: number): Promise<void>;

  /**
   * Deletes the record of `aei`, and frees its stem and name, when its
   * stored version is `expectedVersion`.
   *
   * @returns `true` when this call deleted it; `false` when it was already
   *   gone or has another version (a newer write won).
   */
  remove(aei: string, expectedVersion: number): Promise<boolean>;

  /**
   * Every stored record, expired or not, in `aei` order; pages of at most
   * `limit` records starting after `after` (an `aei`).
   */
  list(page?: { after?: string; limit?: number }): Promise<Registration[]>;

  /**
   * Records whose expiry is at or before `at` (epoch milliseconds), at most
   * `limit`, earliest first. Used to sweep what timers missed.
   */
  listExpiring(at: number, limit: number): Promise<Registration[]>;
}

/** The stem is registered already. */
export class StemTakenError extends Error {
  public readonly aei: string;

  public constructor(aei: string) {
    super(`stem ${aei} is registered`);
    this.aei = aei;
    this.name = 'StemTakenError';
  }
}

/** Another child of the `<CSEBase>` has the name. */
export class NameTakenError extends Error {
  public readonly rn: string;

  public constructor(rn: string) {
    super(`name ${rn} is taken`);
    this.rn = rn;
    this.name = 'NameTakenError';
  }
}

/** A conditional write lost against another write. */
export class VersionConflictError extends Error {
  public readonly aei: string;

  public constructor(aei: string) {
    super(`registration ${aei} changed concurrently`);
    this.aei = aei;
    this.name = 'VersionConflictError';
  }
}
