import {
  BadRequestError,
  NotAuthenticatedError,
  NotFoundError,
  OperationNotAllowedError,
} from '#registrar/onem2m/errors.ts';
import type { Outcome } from '#registrar/onem2m/response.ts';
import { Rsc } from '#registrar/onem2m/rsc.ts';
import type { AuditLog } from '#registrar/ports/audit.ts';
import type { Principal } from '#registrar/ports/authenticator.ts';
import type { CredentialIssuer } from '#registrar/ports/credentials.ts';
import type { Logger } from '#registrar/ports/logger.ts';
import {
  type RegistrationStore,
  VersionConflictError,
} from '#registrar/ports/store.ts';
import { isExpired, type Registration } from '#registrar/registrar/model.ts';

/**
 * Credential rotation (security.md section 5), the registrar's own
 * operation next to the oneM2M ones.
 *
 * HTTP shape: `POST /.well-known/m2m-registrar/rotate` with no body (and
 * no `ty`), the usual `X-M2M-Origin` (the AE-ID), `X-M2M-RI` and
 * `X-M2M-RVI`, signed with the current registration secret (keyid
 * `reg:<aei>:<generation>`). The answer is `2004` with
 * `{"m2m-registrar:cred": {...}}` for generation + 1, the same member as
 * at registration. The previous generation keeps working for the grace
 * period (`M2M_ROTATION_GRACE_S`), then fails; only one previous
 * generation is ever accepted. The rotation is audited as `rotated`.
 *
 * A path under `/.well-known/` (RFC 8615) cannot address a oneM2M
 * resource here: `<AE>` resource ids are AE-IDs (`C…`, `S…`), and the
 * other address forms start with the `<CSEBase>` name, `~` or `_`.
 */
export const ROTATION_PATH = '/.well-known/m2m-registrar/rotate';

/** How often a rotation is tried against concurrent writes of the record. */
const MAX_ATTEMPTS = 4;

/** What a rotation works with. */
export interface RotationDependencies {
  readonly store: RegistrationStore;
  readonly audit: AuditLog;
  readonly credentials: CredentialIssuer;
  readonly logger: Logger;
  /** Grace period of the previous generation, seconds. */
  readonly rotationGraceS: number;
}

/** The request facts a rotation needs, after authentication. */
export interface RotationRequest {
  readonly principal: Principal;
  /** `X-M2M-Origin`, already bound to the principal by the pipeline. */
  readonly originator: string | undefined;
  readonly requestId: string;
  /** When the request was received, epoch milliseconds. */
  readonly now: number;
  /** The request body, which a rotation must not have. */
  readonly body?: Uint8Array | undefined;
}

/** Whether `path` is the rotation operation's. */
export function isRotationPath(path: string): boolean {
  return path === ROTATION_PATH;
}

/**
 * Rotates the registration secret of the AE that signed the request.
 *
 * @throws {NotAuthenticatedError} (`4106`) not signed with the current
 *   generation of a registration secret.
 * @throws {BadRequestError} (`4000`) the request has a body.
 * @throws {NotFoundError} (`4004`) the registration has ended.
 * @throws {OperationNotAllowedError} (`4005`) the registrar runs open.
 */
export async function rotateCredential(
  deps: RotationDependencies,
  request: RotationRequest,
): Promise<Outcome & { aei: string }> {
  const { principal } = request;
  if (principal.kind === 'open') {
    throw new OperationNotAllowedError(
      'there are no credentials to rotate in open mode',
    );
  }
  if (principal.kind !== 'registration') {
    throw new NotAuthenticatedError(
      'a rotation must be signed with the registration secret',
    );
  }
  if (request.body !== undefined && request.body.length > 0) {
    throw new BadRequestError('a rotation takes no body');
  }
  const rotated = await rotateStored(deps, principal, request.now);
  await audit(deps, rotated, request);
  const credential = await deps.credentials.issue(rotated, request.now);
  return {
    rsc: Rsc.UPDATED,
    content: { 'm2m-registrar:cred': credential },
    aei: rotated.aei,
  };
}

async function rotateStored(
  deps: RotationDependencies,
  principal: Extract<Principal, { kind: 'registration' }>,
  now: number,
): Promise<Registration> {
  for (let attempt = 1; ; attempt += 1) {
    const stored = await deps.store.findByAei(principal.aei);
    if (stored === undefined || isExpired(stored, now)) {
      throw new NotFoundError('the registration has ended');
    }
    if (stored.generation !== principal.generation) {
      throw new NotAuthenticatedError(
        'a rotation must be signed with the current generation',
      );
    }
    const rotated: Registration = {
      ...stored,
      generation: stored.generation + 1,
      previousGenerationUntil: now + deps.rotationGraceS * 1000,
      version: stored.version + 1,
    };
    try {
      await deps.store.replace(rotated, stored.version);
      return rotated;
    } catch (error) {
      if (!(error instanceof VersionConflictError) || attempt >= MAX_ATTEMPTS) {
        throw error;
      }
    }
  }
}

async function audit(
  deps: RotationDependencies,
  rotated: Registration,
  request: RotationRequest,
): Promise<void> {
  try {
    await deps.audit.append({
      aei: rotated.aei,
      action: 'rotated',
      at: request.now,
      actor: request.originator ?? rotated.aei,
      requestId: request.requestId,
      details: { generation: rotated.generation },
    });
  } catch (cause) {
    deps.logger.error('audit record not written', {
      aei: rotated.aei,
      action: 'rotated',
      cause,
    });
  }
}
