import { decodeJsonBody } from '#registrar/onem2m/body.ts';
import { NotFoundError } from '#registrar/onem2m/errors.ts';
import { Rsc } from '#registrar/onem2m/rsc.ts';
import { VersionConflictError } from '#registrar/ports/store.ts';
import { type AeUpdate, aeContent, validateUpdate } from './ae-attributes.ts';
import {
  MAX_WRITE_ATTEMPTS,
  type ProcedureResult,
  type RequestContext,
  type Runtime,
} from './context.ts';
import { deregister } from './deregister.ts';
import { grantedExpiry, type Lifetimes } from './expiry.ts';
import { isExpired, type Registration } from './model.ts';
import { settingsPolicy } from './policy.ts';
import { aeResource } from './representation.ts';

/** Retrieve `<AE>`: `2000` with `m2m:ae`. */
export function retrieveAe(
  runtime: Runtime,
  registration: Registration,
): ProcedureResult {
  return {
    rsc: Rsc.OK,
    content: { 'm2m:ae': aeResource(registration, runtime.settings) },
    aei: registration.aei,
  };
}

/**
 * Update `<AE>`: `2004`, with `m2m:ae` unless `rcn=0`.
 *
 * The write is conditional on the version read; when a concurrent write
 * wins, the update is applied again to a fresh read (at most
 * {@link MAX_WRITE_ATTEMPTS} times). A changed `et` re-arms the timer; if
 * that fails the previous record is put back and the answer is `5000`.
 */
export async function updateAe(
  runtime: Runtime,
  loaded: Registration,
  context: RequestContext,
): Promise<ProcedureResult> {
  const decoded = decodeJsonBody(context.body);
  if (!decoded.ok) {
    throw decoded.error;
  }
  const release = context.headers.releaseVersion;
  const changes = validateUpdate(aeContent(decoded.value, 'update'), release);
  const lifetimes = await lifetimesOf(runtime, loaded);
  const [previous, next] = await writeUpdate(runtime, loaded, (current) =>
    applyUpdate(current, changes, lifetimes, context.now),
  );
  if (next.expiresAt !== previous.expiresAt) {
    await rearm(runtime, previous, next);
  }
  await auditUpdate(runtime, next, context);
  return {
    rsc: Rsc.UPDATED,
    content:
      context.query.resultContent === 0
        ? undefined
        : { 'm2m:ae': aeResource(next, runtime.settings) },
    aei: next.aei,
  };
}

/**
 * Delete `<AE>`: `2002`, with `m2m:ae` only for `rcn=1`. Ends the
 * registration as expiry and revocation do.
 */
export async function deleteAe(
  runtime: Runtime,
  loaded: Registration,
  context: RequestContext,
): Promise<ProcedureResult> {
  const actor = context.headers.originator ?? loaded.aei;
  const ended = await endRegistration(runtime, loaded.aei, context.now, {
    action: 'deleted',
    actor,
    requestId: context.headers.requestId,
  });
  if (ended === undefined) {
    throw new NotFoundError('no resource at this path');
  }
  return {
    rsc: Rsc.DELETED,
    content:
      context.query.resultContent === 1
        ? { 'm2m:ae': aeResource(ended, runtime.settings) }
        : undefined,
    aei: ended.aei,
  };
}

/**
 * Ends the live registration of `aei`, retrying against concurrent writes.
 *
 * @returns the registration as it was when it ended, or `undefined` when
 *   there was no live one.
 */
export async function endRegistration(
  runtime: Runtime,
  aei: string,
  now: number,
  ending: Parameters<typeof deregister>[2],
): Promise<Registration | undefined> {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
    const current = await runtime.store.findByAei(aei);
    if (current === undefined || isExpired(current, now)) {
      return undefined;
    }
    if (await deregister(runtime, current, ending)) {
      return current;
    }
  }
  throw new VersionConflictError(aei);
}

async function lifetimesOf(
  runtime: Runtime,
  registration: Registration,
): Promise<Lifetimes> {
  const { enrollmentId } = registration;
  const policy =
    enrollmentId === undefined
      ? undefined
      : await runtime.enrollmentPolicy?.(enrollmentId);
  return policy ?? settingsPolicy(runtime.settings);
}

function applyUpdate(
  current: Registration,
  changes: AeUpdate,
  lifetimes: Lifetimes,
  now: number,
): Registration {
  const attributes: Record<string, unknown> = {
    ...current.attributes,
    ...changes.set,
  };
  for (const name of changes.remove) {
    delete attributes[name];
  }
  const expiresAt =
    changes.et === undefined
      ? current.expiresAt
      : grantedExpiry(changes.et ?? undefined, lifetimes, now);
  return {
    ...current,
    attributes,
    expiresAt,
    modifiedAt: Math.max(now, current.createdAt),
    version: current.version + 1,
  };
}

async function writeUpdate(
  runtime: Runtime,
  loaded: Registration,
  change: (current: Registration) => Registration,
): Promise<[Registration, Registration]> {
  let current = loaded;
  for (let attempt = 1; ; attempt += 1) {
    const next = change(current);
    try {
      await runtime.store.replace(next, current.version);
      return [current, next];
    } catch (error) {
      if (!(error instanceof VersionConflictError)) {
        throw error;
      }
      if (attempt >= MAX_WRITE_ATTEMPTS) {
        throw error;
      }
    }
    const fresh = await runtime.store.findByAei(loaded.aei);
    if (fresh === undefined || isExpired(fresh, runtime.clock.now())) {
      throw new NotFoundError('no resource at this path');
    }
    current = fresh;
  }
}

async function rearm(
  runtime: Runtime,
  previous: Registration,
  next: Registration,
): Promise<void> {
  try {
    await runtime.timers.arm(next.aei, next.expiresAt);
  } catch (cause) {
    const restored = { ...previous, version: next.version + 1 };
    await runtime.store.replace(restored, next.version).catch((error) => {
      runtime.logger.error('update not undone after a failed re-arm', {
        aei: next.aei,
        cause: error,
      });
    });
    throw cause;
  }
}

async function auditUpdate(
  runtime: Runtime,
  next: Registration,
  context: RequestContext,
): Promise<void> {
  try {
    await runtime.audit.append({
      aei: next.aei,
      action: 'updated',
      at: context.now,
      actor: context.headers.originator ?? next.aei,
      requestId: context.headers.requestId,
      details: { expiresAt: next.expiresAt, version: next.version },
    });
  } catch (cause) {
    runtime.logger.error('audit record not written', {
      aei: next.aei,
      action: 'updated',
      cause,
    });
  }
}
