import {
  type Enrollment,
  EnrollmentExistsError,
  type EnrollmentStore,
} from '#registrar/ports/enrollments.ts';

/**
 * An {@link EnrollmentStore} in a `Map`, for unit tests and as the
 * reference behaviour of the port. Records are copied in and out.
 */
export class MemoryEnrollmentStore implements EnrollmentStore {
  readonly #byId = new Map<string, Enrollment>();

  /** @inheritdoc */
  public async insert(enrollment: Enrollment): Promise<void> {
    if (this.#byId.has(enrollment.id)) {
      throw new EnrollmentExistsError(enrollment.id);
    }
    this.#byId.set(enrollment.id, structuredClone(enrollment));
  }

  /** @inheritdoc */
  public async find(id: string): Promise<Enrollment | undefined> {
    const found = this.#byId.get(id);
    return found === undefined ? undefined : structuredClone(found);
  }

  /** @inheritdoc */
  public async list(): Promise<Enrollment[]> {
    return [...this.#byId.keys()]
      .sort()
      .map((id) => structuredClone(this.#byId.get(id) as Enrollment));
  }

  /** @inheritdoc */
  public async replace(enrollment: Enrollment): Promise<boolean> {
    const stored = this.#byId.get(enrollment.id);
    if (stored === undefined) {
      return false;
    }
    this.#byId.set(enrollment.id, {
      ...structuredClone(enrollment),
      createdAt: stored.createdAt,
    });
    return true;
  }
}
