/**
 * What can go wrong when an AE talks to a registrar, one class per cause.
 *
 * {@link RegistrarRejectedError} is the registrar's own answer (a oneM2M
 * error code); {@link TransportError} means no usable oneM2M answer came
 * back at all; {@link StateFileError} is about the AE's local state file.
 */

/** The registrar answered with a oneM2M error code (`X-M2M-RSC` >= 4000). */
export class RegistrarRejectedError extends Error {
  /** The oneM2M response status code, e.g. `4106`. */
  public readonly rsc: number;
  /** The HTTP status of the answer, e.g. `403`. */
  public readonly status: number;
  /** The registrar's `m2m:dbg` reason, when it sent one. */
  public readonly dbg: string | undefined;
  /** The `X-M2M-RI` of the failed request. */
  public readonly requestId: string;

  public constructor(parts: {
    rsc: number;
    status: number;
    dbg: string | undefined;
    requestId: string;
  }) {
    super(
      `the registrar answered ${parts.rsc}` +
        (parts.dbg === undefined ? '' : `: ${parts.dbg}`),
    );
    this.name = 'RegistrarRejectedError';
    this.rsc = parts.rsc;
    this.status = parts.status;
    this.dbg = parts.dbg;
    this.requestId = parts.requestId;
  }
}

/**
 * No usable oneM2M answer: the connection failed or timed out, the answer
 * was a redirect (never followed), had no `X-M2M-RSC`, or a body that is
 * not JSON.
 */
export class TransportError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TransportError';
  }
}

/** The AE state file is missing, malformed or readable by others. */
export class StateFileError extends Error {
  /** The state file's path. */
  public readonly path: string;

  public constructor(path: string, problem: string, options?: ErrorOptions) {
    super(`${path}: ${problem}`, options);
    this.name = 'StateFileError';
    this.path = path;
  }
}
