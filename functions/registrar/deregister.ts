import type { AuditAction } from '#registrar/ports/audit.ts';
import type { Runtime } from './context.ts';
import type { Registration } from './model.ts';

/** Why and by whom a registration ends. */
export interface Ending {
  readonly action: Extract<AuditAction, 'deleted' | 'revoked' | 'expired'>;
  /** An originator, `operator`, or `timer`. */
  readonly actor: string;
  readonly requestId?: string | undefined;
}

/**
 * Ends `registration` the one way Delete, revocation and expiry share:
 * disarm its timer, remove it if it is still at the loaded version, audit.
 *
 * The timer goes first because timers are named by stem: once the record
 * is gone, the stem may be registered again at once, and a late disarm
 * would remove the new registration's timer. When a concurrent write wins
 * instead (a renewal), the timer is armed again at the stored expiry.
 *
 * Once the record is gone the registration has ended, so a failing disarm
 * or audit is logged at error and does not undo it: a stale timer finds
 * nothing to expire.
 *
 * Known gap: revoking the AE's tokens at the target CSEs and ending its
 * delegations belong here too; they are added with the token and
 * delegation features (security.md sections 6 and 7).
 *
 * @returns `false` when the stored record is gone or has changed (a
 *   concurrent write won); nothing else is done then.
 */
export async function deregister(
  runtime: Runtime,
  registration: Registration,
  ending: Ending,
): Promise<boolean> {
  const { aei } = registration;
  try {
    await runtime.timers.disarm(aei);
  } catch (cause) {
    runtime.logger.error('expiry timer not disarmed', { aei, cause });
  }
  const removed = await runtime.store.remove(aei, registration.version);
  if (!removed) {
    await rearm(runtime, aei);
    return false;
  }
  try {
    await runtime.audit.append({
      aei,
      action: ending.action,
      at: runtime.clock.now(),
      actor: ending.actor,
      requestId: ending.requestId,
    });
  } catch (cause) {
    runtime.logger.error('audit record not written', {
      aei,
      action: ending.action,
      cause,
    });
  }
  return true;
}

/** Arms the timer again for whatever registration of `aei` won the race. */
async function rearm(runtime: Runtime, aei: string): Promise<void> {
  try {
    const current = await runtime.store.findByAei(aei);
    if (current !== undefined) {
      await runtime.timers.arm(aei, current.expiresAt);
    }
  } catch (cause) {
    runtime.logger.error('expiry timer not re-armed', { aei, cause });
  }
}
