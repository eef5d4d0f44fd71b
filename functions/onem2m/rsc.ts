/**
 * oneM2M response status codes used by the registrar, and the HTTP status
 * each one travels with (TS-0009).
 */
export const Rsc = {
  OK: 2000,
  CREATED: 2001,
  DELETED: 2002,
  UPDATED: 2004,
  BAD_REQUEST: 4000,
  RELEASE_VERSION_NOT_SUPPORTED: 4001,
  NOT_FOUND: 4004,
  OPERATION_NOT_ALLOWED: 4005,
  REQUEST_TIMEOUT: 4008,
  UNSUPPORTED_MEDIA_TYPE: 4015,
  CONTENTS_UNACCEPTABLE: 4102,
  ORIGINATOR_HAS_NO_PRIVILEGE: 4103,
  CONFLICT: 4105,
  ORIGINATOR_NOT_AUTHENTICATED: 4106,
  SECURITY_ASSOCIATION_REQUIRED: 4107,
  INVALID_CHILD_RESOURCE_TYPE: 4108,
  ORIGINATOR_HAS_ALREADY_REGISTERED: 4117,
  APP_RULE_VALIDATION_FAILED: 4126,
  INTERNAL_SERVER_ERROR: 5000,
  NOT_IMPLEMENTED: 5001,
  TARGET_NOT_REACHABLE: 5103,
  NOT_ACCEPTABLE: 5207,
} as const;

/** One of the response status codes in {@link Rsc}. */
export type ResponseStatusCode = (typeof Rsc)[keyof typeof Rsc];

const httpStatusByRsc: Record<ResponseStatusCode, number> = {
  2000: 200,
  2001: 201,
  2002: 200,
  2004: 200,
  4000: 400,
  4001: 501,
  4004: 404,
  4005: 405,
  4008: 504,
  4015: 415,
  4102: 400,
  4103: 403,
  4105: 409,
  4106: 403,
  4107: 403,
  4108: 403,
  4117: 403,
  4126: 403,
  5000: 500,
  5001: 501,
  5103: 404,
  5207: 406,
};

/** The HTTP status that carries `rsc` in the HTTP binding. */
export function httpStatusOf(rsc: ResponseStatusCode): number {
  return httpStatusByRsc[rsc];
}
