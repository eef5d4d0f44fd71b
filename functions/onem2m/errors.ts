import { type ResponseStatusCode, Rsc } from './rsc.ts';

/**
 * A failure that the caller is told about: it carries the oneM2M response
 * status code and a message that is safe to return as `m2m:dbg`.
 *
 * The message must never contain secret material, nor echo a `poa`. Anything
 * thrown that is not a `OneM2mError` becomes `5000` with a fixed message.
 */
export class OneM2mError extends Error {
  /** The response status code sent in `X-M2M-RSC`. */
  public readonly rsc: ResponseStatusCode;

  public constructor(
    rsc: ResponseStatusCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'OneM2mError';
    this.rsc = rsc;
  }
}

/** `4000`: the request is malformed. */
export class BadRequestError extends OneM2mError {
  public constructor(message: string, options?: ErrorOptions) {
    super(Rsc.BAD_REQUEST, message, options);
    this.name = 'BadRequestError';
  }
}

/** `4001`: `X-M2M-RVI` is absent or names a release this CSE does not speak. */
export class ReleaseVersionNotSupportedError extends OneM2mError {
  public constructor(message: string) {
    super(Rsc.RELEASE_VERSION_NOT_SUPPORTED, message);
    this.name = 'ReleaseVersionNotSupportedError';
  }
}

/** `4004`: the target resource does not exist (or has expired). */
export class NotFoundError extends OneM2mError {
  public constructor(message: string) {
    super(Rsc.NOT_FOUND, message);
    this.name = 'NotFoundError';
  }
}

/** `4005`: the operation is not allowed on the target. */
export class OperationNotAllowedError extends OneM2mError {
  public constructor(message: string) {
    super(Rsc.OPERATION_NOT_ALLOWED, message);
    this.name = 'OperationNotAllowedError';
  }
}

/** `4008`: the request expired (`X-M2M-RET`) before it could be handled. */
export class RequestTimeoutError extends OneM2mError {
  public constructor(message: string) {
    super(Rsc.REQUEST_TIMEOUT, message);
    this.name = 'RequestTimeoutError';
  }
}

/** `4015`: the body's media type is not one this CSE reads. */
export class UnsupportedMediaTypeError extends OneM2mError {
  public constructor(message: string) {
    super(Rsc.UNSUPPORTED_MEDIA_TYPE, message);
    this.name = 'UnsupportedMediaTypeError';
  }
}

/** `4102`: the content does not fit the target (wrong root on Update). */
export class ContentsUnacceptableError extends OneM2mError {
  public constructor(message: string) {
    super(Rsc.CONTENTS_UNACCEPTABLE, message);
    this.name = 'ContentsUnacceptableError';
  }
}

/** `4103`: the originator may not act on the target. */
export class NoPrivilegeError extends OneM2mError {
  public constructor(message: string) {
    super(Rsc.ORIGINATOR_HAS_NO_PRIVILEGE, message);
    this.name = 'NoPrivilegeError';
  }
}

/** `4105`: a sibling already has the requested resource name. */
export class ConflictError extends OneM2mError {
  public constructor(message: string) {
    super(Rsc.CONFLICT, message);
    this.name = 'ConflictError';
  }
}

/** `4106`: the request's credential could not be verified. */
export class NotAuthenticatedError extends OneM2mError {
  public constructor(message: string) {
    super(Rsc.ORIGINATOR_NOT_AUTHENTICATED, message);
    this.name = 'NotAuthenticatedError';
  }
}

/** `4107`: the originator is a CSE-ID, which an AE registration cannot use. */
export class SecurityAssociationRequiredError extends OneM2mError {
  public constructor(message: string) {
    super(Rsc.SECURITY_ASSOCIATION_REQUIRED, message);
    this.name = 'SecurityAssociationRequiredError';
  }
}

/** `4108`: an `<AE>` can only be created directly under the `<CSEBase>`. */
export class InvalidChildResourceTypeError extends OneM2mError {
  public constructor(message: string) {
    super(Rsc.INVALID_CHILD_RESOURCE_TYPE, message);
    this.name = 'InvalidChildResourceTypeError';
  }
}

/** `4117`: the originator's stem is registered already. */
export class AlreadyRegisteredError extends OneM2mError {
  public constructor(message: string) {
    super(Rsc.ORIGINATOR_HAS_ALREADY_REGISTERED, message);
    this.name = 'AlreadyRegisteredError';
  }
}

/** `4126`: the registration policy does not allow this originator or App-ID. */
export class AppRuleValidationError extends OneM2mError {
  public constructor(message: string) {
    super(Rsc.APP_RULE_VALIDATION_FAILED, message);
    this.name = 'AppRuleValidationError';
  }
}

/** `5207`: the caller accepts no representation this CSE can produce. */
export class NotAcceptableError extends OneM2mError {
  public constructor(message: string) {
    super(Rsc.NOT_ACCEPTABLE, message);
    this.name = 'NotAcceptableError';
  }
}
