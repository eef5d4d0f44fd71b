import { readCredentialMember } from './credential-member.ts';
import { RegistrarRejectedError, TransportError } from './errors.ts';
import {
  type Credential,
  type OneM2mRequest,
  type PreparedRequest,
  prepareRequest,
} from './request.ts';
import { type Fetch, type OneM2mResponse, send } from './transport.ts';

/**
 * The registrar's own credential rotation operation (security.md 5): a
 * POST without body or `ty`, signed with the current registration secret.
 */
export const ROTATION_PATH = '/.well-known/m2m-registrar/rotate';

/** The local registrar's address, the default base URL. */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:8080';

/** Who the AE is once registered, and the secret it signs with. */
export interface AeIdentity {
  /** The AE-ID, also its `ri` and its `X-M2M-Origin` from now on. */
  readonly aei: string;
  /** The `<AE>`'s resource name under the `<CSEBase>`. */
  readonly rn: string;
  /** The registration secret; absent when the registrar runs open. */
  readonly credential?: Credential | undefined;
  /** Expiry, `m2m:timestamp` in server time. */
  readonly et: string;
}

/** Attributes of an `<AE>`, as in the `m2m:ae` member (onem2m.md 3). */
export type AeAttributes = Readonly<Record<string, unknown>>;

/** What {@link AeClient} is built with. */
export interface AeClientOptions {
  /** @default {@link DEFAULT_BASE_URL} */
  readonly baseUrl?: string;
  /** The `<CSEBase>` resource name. @default `cse-in` */
  readonly cseRn?: string;
  /** A registration made earlier (from a state file). */
  readonly identity?: AeIdentity;
  /** Longest wait for one answer, milliseconds. @default 10000 */
  readonly timeoutMs?: number;
  /** `X-M2M-RVI`. @default `4` */
  readonly releaseVersion?: string;
  /** Called after each exchange, e.g. to print it. */
  readonly onExchange?: (
    request: PreparedRequest,
    response: OneM2mResponse,
  ) => void;
  /** For tests. @default global `fetch` */
  readonly fetch?: Fetch;
}

/** How {@link AeClient.register} proves it may register. */
export interface RegisterOptions {
  /** The enrollment's master credential (`enr:<id>:<version>`, `Km`). */
  readonly enrollment?: Credential;
  /** `X-M2M-Origin`: `C`, `S`, `C<stem>`...; none lets the CSE pick. */
  readonly originator?: string;
}

/** What a successful operation returns: the `<AE>` and the full answer. */
export interface AeResult {
  /** The `m2m:ae` member of the answer; empty when it had none. */
  readonly ae: AeAttributes;
  readonly response: OneM2mResponse;
}

/**
 * A oneM2M application entity talking to a registrar over HTTP.
 *
 * It registers with an enrollment's master credential, keeps the AE-ID and
 * the registration secret it gets back, and signs every later request with
 * that secret (RFC 9421, label `m2m`). Requests carry a fresh `X-M2M-RI`
 * each, follow no redirects and time out.
 *
 * ```ts
 * const ae = new AeClient({ baseUrl: 'http://127.0.0.1:8080' });
 * await ae.register({ api: 'Nlight', rr: false, srv: ['4'] }, { enrollment });
 * await ae.update({ lbl: ['kitchen'] });
 * await ae.delete();
 * ```
 *
 * @throws {RegistrarRejectedError} from every operation, when the
 *   registrar answers with an error code.
 * @throws {TransportError} when no usable answer comes back.
 */
export class AeClient {
  readonly #options: AeClientOptions;
  readonly #baseUrl: string;
  readonly #cseRn: string;
  #identity: AeIdentity | undefined;

  /** Creates a client; nothing is sent until an operation is called. */
  public constructor(options: AeClientOptions = {}) {
    this.#options = options;
    this.#baseUrl = options.baseUrl ?? DEFAULT_BASE_URL;
    this.#cseRn = options.cseRn ?? 'cse-in';
    this.#identity = options.identity;
  }

  /** The registrar's base URL. */
  public get baseUrl(): string {
    return this.#baseUrl;
  }

  /** The current registration, or `undefined` before register or after delete. */
  public get identity(): AeIdentity | undefined {
    return this.#identity;
  }

  /**
   * Creates the `<AE>` under the `<CSEBase>`, signed with the enrollment's
   * master credential, and keeps the AE-ID and registration secret the
   * registrar returns.
   */
  public async register(
    attributes: AeAttributes,
    options: RegisterOptions = {},
  ): Promise<AeResult> {
    const response = await this.exchange(
      {
        method: 'POST',
        path: `/${this.#cseRn}`,
        ty: 2,
        body: { 'm2m:ae': attributes },
        ...(options.originator === undefined
          ? {}
          : { origin: options.originator }),
      },
      options.enrollment,
    );
    const ae = aeOf(response);
    const issued = readCredentialMember(response.body);
    this.#identity = {
      aei: text(ae, 'aei'),
      rn: text(ae, 'rn'),
      credential:
        issued === undefined
          ? undefined
          : { keyid: issued.keyid, key: issued.key },
      et: text(ae, 'et'),
    };
    return { ae, response };
  }

  /** Reads the `<AE>`. */
  public async retrieve(): Promise<AeResult> {
    const response = await this.#own('GET');
    return { ae: aeOf(response), response };
  }

  /**
   * Changes writable attributes (`et`, `poa`, `lbl`, `rr`...); `null`
   * removes one.
   */
  public async update(changes: AeAttributes): Promise<AeResult> {
    const response = await this.#own('PUT', { 'm2m:ae': changes });
    const ae = aeOf(response);
    const identity = this.#registered();
    if (typeof ae.et === 'string') {
      this.#identity = { ...identity, et: ae.et };
    }
    return { ae, response };
  }

  /**
   * Rotates the registration secret: the registrar answers `2004` with a
   * new secret (generation + 1), which the client signs with from now on.
   * The previous one keeps working for the registrar's grace period.
   *
   * @throws {TransportError} the answer carries no new secret (a
   *   registrar running open answers `4005` instead).
   */
  public async rotate(): Promise<OneM2mResponse> {
    const identity = this.#registered();
    const response = await this.exchange(
      { method: 'POST', path: ROTATION_PATH, origin: identity.aei },
      identity.credential,
    );
    const issued = readCredentialMember(response.body);
    if (issued === undefined) {
      throw new TransportError('the rotation answer has no new secret');
    }
    this.#identity = {
      ...identity,
      credential: { keyid: issued.keyid, key: issued.key },
      et: issued.et,
    };
    return response;
  }

  /** Deletes the `<AE>`: the registration ends and its secret dies. */
  public async delete(): Promise<OneM2mResponse> {
    const response = await this.#own('DELETE');
    this.#identity = undefined;
    return response;
  }

  /**
   * Sends any oneM2M request signed with `credential` (none: unsigned)
   * and returns the answer.
   *
   * @throws {RegistrarRejectedError} the answer carries an error code.
   */
  public async exchange(
    request: OneM2mRequest,
    credential: Credential | undefined,
  ): Promise<OneM2mResponse> {
    const prepared = prepareRequest(this.#baseUrl, request, {
      credential,
      ...(this.#options.releaseVersion === undefined
        ? {}
        : { releaseVersion: this.#options.releaseVersion }),
    });
    const response = await send(
      prepared,
      this.#options.timeoutMs ?? 10_000,
      this.#options.fetch,
    );
    this.#options.onExchange?.(prepared, response);
    if (!isSuccess(response.rsc)) {
      throw rejection(response, prepared.requestId);
    }
    return response;
  }

  /** The target path of this AE's own `<AE>` resource. */
  public ownPath(): string {
    return `/${this.#cseRn}/${encodeURIComponent(this.#registered().rn)}`;
  }

  async #own(
    method: 'GET' | 'PUT' | 'DELETE',
    body?: unknown,
  ): Promise<OneM2mResponse> {
    const identity = this.#registered();
    return this.exchange(
      {
        method,
        path: this.ownPath(),
        origin: identity.aei,
        ...(body === undefined ? {} : { body }),
      },
      identity.credential,
    );
  }

  #registered(): AeIdentity {
    if (this.#identity === undefined) {
      throw new NotRegisteredError();
    }
    return this.#identity;
  }
}

/** An operation on the `<AE>` was called before it was registered. */
export class NotRegisteredError extends Error {
  public constructor() {
    super('the AE is not registered');
    this.name = 'NotRegisteredError';
  }
}

/** Whether `rsc` is a oneM2M success code (2xxx). */
export function isSuccess(rsc: number): boolean {
  return rsc >= 2000 && rsc < 3000;
}

function rejection(
  response: OneM2mResponse,
  requestId: string,
): RegistrarRejectedError {
  const dbg = response.body?.['m2m:dbg'];
  return new RegistrarRejectedError({
    rsc: response.rsc,
    status: response.status,
    dbg: typeof dbg === 'string' ? dbg : undefined,
    requestId,
  });
}

function aeOf(response: OneM2mResponse): AeAttributes {
  const ae = response.body?.['m2m:ae'];
  return typeof ae === 'object' && ae !== null ? (ae as AeAttributes) : {};
}

function text(ae: AeAttributes, name: string): string {
  const value = ae[name];
  if (typeof value !== 'string' || value === '') {
    throw new TransportError(`the created m2m:ae has no ${name}`);
  }
  return value;
}
