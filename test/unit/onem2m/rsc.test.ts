import { describe, expect, it } from 'vitest';
import { httpStatusOf, Rsc } from '#registrar/onem2m/rsc.ts';

describe('response status codes', () => {
  it.each([
    [Rsc.OK, 200],
    [Rsc.CREATED, 201],
    [Rsc.DELETED, 200],
    [Rsc.UPDATED, 200],
    [Rsc.BAD_REQUEST, 400],
    [Rsc.RELEASE_VERSION_NOT_SUPPORTED, 501],
    [Rsc.NOT_FOUND, 404],
    [Rsc.OPERATION_NOT_ALLOWED, 405],
    [Rsc.REQUEST_TIMEOUT, 504],
    [Rsc.UNSUPPORTED_MEDIA_TYPE, 415],
    [Rsc.CONTENTS_UNACCEPTABLE, 400],
    [Rsc.ORIGINATOR_HAS_NO_PRIVILEGE, 403],
    [Rsc.CONFLICT, 409],
    [Rsc.ORIGINATOR_NOT_AUTHENTICATED, 403],
    [Rsc.SECURITY_ASSOCIATION_REQUIRED, 403],
    [Rsc.INVALID_CHILD_RESOURCE_TYPE, 403],
    [Rsc.ORIGINATOR_HAS_ALREADY_REGISTERED, 403],
    [Rsc.APP_RULE_VALIDATION_FAILED, 403],
    [Rsc.INTERNAL_SERVER_ERROR, 500],
    [Rsc.TARGET_NOT_REACHABLE, 404],
    [Rsc.NOT_ACCEPTABLE, 406],
  ])('sends %i with HTTP %i', (rsc, status) => {
    expect(httpStatusOf(rsc)).toBe(status);
  });

  it('maps 5001 to HTTP 501, though the registrar no longer produces it', () => {
    expect(httpStatusOf(Rsc.NOT_IMPLEMENTED)).toBe(501);
  });
});
