import {
  NameTakenError,
  type RegistrationStore,
  StemTakenError,
  VersionConflictError,
} from '#registrar/ports/store.ts';
import type { Registration } from '#registrar/registrar/model.ts';

/**
 * A {@link RegistrationStore} in a `Map`, for unit tests and as the
 * reference behaviour of the port.
 *
 * Every method copies records in and out, so that a caller cannot change
 * what is stored by holding a reference.
 */
export class MemoryRegistrationStore implements RegistrationStore {
  readonly #byAei = new Map<string, Registration>();
  readonly #aeiByName = new Map<string, string>();

  /** @inheritdoc */
  public async insert(registration: Registration): Promise<void> {
    if (this.#byAei.has(registration.aei)) {
      throw new StemTakenError(registration.aei);
    }
    if (this.#aeiByName.has(registration.rn)) {
      throw new NameTakenError(registration.rn);
    }
    this.#byAei.set(registration.aei, structuredClone(registration));
    this.#aeiByName.set(registration.rn, registration.aei);
  }

  /** @inheritdoc */
  public async findByAei(aei: string): Promise<Registration | undefined> {
    const found = this.#byAei.get(aei);
    return found === undefined ? undefined : structuredClone(found);
  }

  /** @inheritdoc */
  public async findByName(rn: string): Promise<Registration | undefined> {
    const aei = this.#aeiByName.get(rn);
    return aei === undefined ? undefined : this.findByAei(aei);
  }

  /** @inheritdoc */
  public async replace(
    registration: Registration,
    expectedVersion: number,
  ): Promise<void> {
    const stored = this.#byAei.get(registration.aei);
    if (
      stored === undefined ||
      stored.version !== expectedVersion ||
      registration.version !== expectedVersion + 1 ||
      registration.rn !== stored.rn
    ) {
      throw new VersionConflictError(registration.aei);
    }
    this.#byAei.set(registration.aei, structuredClone(registration));
  }

  /** @inheritdoc */
  public async remove(aei: string, expectedVersion: number): Promise<boolean> {
    const stored = this.#byAei.get(aei);
    if (stored === undefined || stored.version !== expectedVersion) {
      return false;
    }
    this.#byAei.delete(aei);
    this.#aeiByName.delete(stored.rn);
    return true;
  }

  /** @inheritdoc */
  public async list(
    page: { after?: string; limit?: number } = {},
  ): Promise<Registration[]> {
    const { after, limit = 100 } = page;
    return [...this.#byAei.keys()]
      .sort()
      .filter((aei) => after === undefined || aei > after)
      .slice(0, limit)
      .map((aei) => structuredClone(this.#byAei.get(aei) as Registration));
  }

  /** @inheritdoc */
  public async listExpiring(
    at: number,
    limit: number,
  ): Promise<Registration[]> {
    return [...this.#byAei.values()]
      .filter((registration) => registration.expiresAt <= at)
      .sort((a, b) => a.expiresAt - b.expiresAt)
      .slice(0, limit)
      .map((registration) => structuredClone(registration));
  }
}
