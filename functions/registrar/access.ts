import type { RegistrarSettings } from '#registrar/commons/settings.ts';
import {
  NoPrivilegeError,
  NotAuthenticatedError,
} from '#registrar/onem2m/errors.ts';
import type { RequestHeaders } from '#registrar/onem2m/headers.ts';
import type { Principal } from '#registrar/ports/authenticator.ts';
import type { Registration } from './model.ts';

/**
 * Binds the authenticated identity to `X-M2M-Origin` (onem2m.md section 7).
 *
 * Open mode trusts the header. A registration credential must belong to
 * the originator; an enrollment credential only serves a Create `<AE>`;
 * the operator's credential only goes with the admin originator.
 *
 * Known gap: a delegate acting for another AE (security.md section 6) is
 * refused here until delegation grants exist.
 *
 * @throws {NotAuthenticatedError} (`4106`) the identity does not match.
 */
export function bindPrincipal(
  principal: Principal,
  headers: RequestHeaders,
  settings: RegistrarSettings,
): void {
  const { originator } = headers;
  switch (principal.kind) {
    case 'open':
      return;
    case 'registration':
      if (principal.aei !== originator) {
        throw new NotAuthenticatedError(
          'the credential does not belong to X-M2M-Origin',
        );
      }
      return;
    case 'enrollment':
      if (headers.operation !== 'create' || headers.resourceType !== 2) {
        throw new NotAuthenticatedError(
          'an enrollment credential only serves a Create <AE>',
        );
      }
      return;
    case 'admin':
      if (originator !== settings.adminOriginator) {
        throw new NotAuthenticatedError(
          'the operator credential needs the admin originator',
        );
      }
      return;
  }
}

/**
 * Only the AE itself and the admin originator may read, change or delete
 * an `<AE>`.
 *
 * @throws {NoPrivilegeError} (`4103`) anyone else.
 */
export function checkAeAccess(
  originator: string | undefined,
  registration: Registration,
  settings: RegistrarSettings,
): void {
  if (
    originator !== registration.aei &&
    originator !== settings.adminOriginator
  ) {
    throw new NoPrivilegeError('only the AE itself may access this <AE>');
  }
}
