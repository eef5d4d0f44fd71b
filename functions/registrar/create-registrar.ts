import { endRegistration } from './ae-operations.ts';
import type { Runtime } from './context.ts';
import { deregister } from './deregister.ts';
import { isExpired } from './model.ts';
import { handleRequest } from './pipeline.ts';
import { cryptoRandomBytes } from './random.ts';
import type { Registrar, RegistrarDependencies } from './registrar.ts';

/**
 * Builds the {@link Registrar} over `deps`: the oneM2M request pipeline
 * for `<CSEBase>` and `<AE>`, expiry and operator revocation.
 *
 * Transport-independent: the local server and the Lambda handlers pass it
 * an `HttpRequest` and send back the `HttpResponse`.
 */
export function createRegistrar(deps: RegistrarDependencies): Registrar {
  const runtime: Runtime = {
    ...deps,
    randomBytes: deps.randomBytes ?? cryptoRandomBytes,
    cseCreatedAt: deps.cseCreatedAt ?? deps.clock.now(),
  };
  return {
    handle: (request) => handleRequest(runtime, request),
    expire: (aei) => expire(runtime, aei),
    revoke: (aei, actor) => revoke(runtime, aei, actor),
  };
}

/**
 * De-registers `aei` when, and only when, its stored record has expired.
 *
 * The removal is conditional on the version read, so a renewal that wins
 * the race leaves the registration alive. Failures are logged and thrown,
 * so that the timer service can try again.
 *
 * @returns whether this call de-registered `aei`.
 */
async function expire(runtime: Runtime, aei: string): Promise<boolean> {
  try {
    const found = await runtime.store.findByAei(aei);
    if (found === undefined || !isExpired(found, runtime.clock.now())) {
      return false;
    }
    const ended = await deregister(runtime, found, {
      action: 'expired',
      actor: 'timer',
    });
    if (ended) {
      runtime.logger.info('registration expired', { aei });
    }
    return ended;
  } catch (cause) {
    runtime.logger.error('expiry failed', { aei, cause });
    throw cause;
  }
}

/** Operator revocation: ends the live registration of `aei`. */
async function revoke(
  runtime: Runtime,
  aei: string,
  actor: string,
): Promise<boolean> {
  try {
    const ended = await endRegistration(runtime, aei, runtime.clock.now(), {
      action: 'revoked',
      actor,
    });
    if (ended !== undefined) {
      runtime.logger.info('registration revoked', { aei, actor });
    }
    return ended !== undefined;
  } catch (cause) {
    runtime.logger.error('revocation failed', { aei, cause });
    throw cause;
  }
}
