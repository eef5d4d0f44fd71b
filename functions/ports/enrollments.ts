/**
 * Enrollments (security.md section 1): the operator's records that let an
 * AE, or a family of AEs, register with a master credential.
 *
 * Nothing secret is stored: the master credential is derived from the
 * enrollment root key, the id and `keyVersion`.
 */

/** Whether an enrollment may still be used to register. */
export type EnrollmentState = 'active' | 'disabled';

/** One enrollment. */
export interface Enrollment {
  /** Operator-chosen id: letters, digits and `._~-`, 1 to 64 characters. */
  readonly id: string;
  /**
   * Originator patterns that may register (`*` matches any run of
   * characters, everything else is literal), e.g. `Csensor-*`.
   */
  readonly originators: readonly string[];
  /** App-ID patterns that may register, same syntax, e.g. `Nmeter*`. */
  readonly apps: readonly string[];
  /** Lifetime when a Create `<AE>` has no `et`, seconds. */
  readonly defaultLifetimeS: number;
  /** Longest lifetime granted; a later `et` is lowered to it, seconds. */
  readonly maxLifetimeS: number;
  /** CSE-IDs the AE's tokens are for (security.md section 7). */
  readonly targets: readonly string[];
  readonly state: EnrollmentState;
  /** The master credential's version; keyid `enr:<id>:<keyVersion>`. */
  readonly keyVersion: number;
  /** Creation time, epoch milliseconds. */
  readonly createdAt: number;
}

/** Where enrollments live: the embedded database, or DynamoDB. */
export interface EnrollmentStore {
  /**
   * Stores a new enrollment.
   *
   * @throws {EnrollmentExistsError} an enrollment with the same id exists.
   */
  insert(enrollment: Enrollment): Promise<void>;

  /** The enrollment `id`, in any state. */
  find(id: string): Promise<Enrollment | undefined>;

  /** Every enrollment, in id order. */
  list(): Promise<Enrollment[]>;

  /**
   * Replaces the stored enrollment with the same id (state, key version,
   * policy). The id and creation time never change.
   *
   * @returns `false` when there is no enrollment with that id.
   */
  replace(enrollment: Enrollment): Promise<boolean>;
}

/** An enrollment with that id exists already. */
export class EnrollmentExistsError extends Error {
  public readonly id: string;

  public constructor(id: string) {
    super(`enrollment ${id} exists`);
    this.name = 'EnrollmentExistsError';
    this.id = id;
  }
}
