import { type DecodedBody, decodeJsonBody } from '#registrar/onem2m/body.ts';
import {
  AlreadyRegisteredError,
  AppRuleValidationError,
  ConflictError,
} from '#registrar/onem2m/errors.ts';
import { Rsc } from '#registrar/onem2m/rsc.ts';
import { aeAddress } from '#registrar/onem2m/target.ts';
import type { RegistrationPolicy } from '#registrar/ports/authenticator.ts';
import type { CredentialMember } from '#registrar/ports/credentials.ts';
import { NameTakenError, StemTakenError } from '#registrar/ports/store.ts';
import {
  type AeCreate,
  aeContent,
  isWellFormedAppId,
  validateCreate,
} from './ae-attributes.ts';
import type { ProcedureResult, RequestContext, Runtime } from './context.ts';
import { deregister } from './deregister.ts';
import { grantedExpiry } from './expiry.ts';
import { isExpired, type Registration } from './model.ts';
import { requestedStem } from './originator.ts';
import { registrationPolicyOf } from './policy.ts';
import { randomAlphanumeric, randomSalt } from './random.ts';
import { aeResource } from './representation.ts';

/**
 * Create `<AE>` under the `<CSEBase>`: the registration.
 *
 * Checks run in the contract's order: originator (`4107`, `4000`, then
 * `4126` for an originator or App-ID the policy refuses, then `4117`),
 * name clash (`4105`), attribute validation (`4000`, also for an App-ID
 * too malformed to judge), then `et` (`4000` when in the past). A stem or
 * name held by an expired registration counts as free: that registration
 * is ended first, exactly as a Delete would. The store's insert decides
 * between concurrent creates.
 *
 * The record is inserted, then its timer armed, its credential issued and
 * the audit record written; if any of these fails the record is removed
 * and the timer disarmed, so a failure leaves nothing behind.
 */
export async function register(
  runtime: Runtime,
  context: RequestContext,
): Promise<ProcedureResult> {
  const { settings } = runtime;
  const { stem, assigned } = requestedStem(
    context.headers.originator,
    settings,
    runtime.randomBytes,
  );
  const policy = registrationPolicyOf(context.principal, settings);
  if (!policy.allowsOriginator(stem)) {
    throw new AppRuleValidationError(
      'the registration policy does not allow this originator',
    );
  }
  const decoded = decodeJsonBody(context.body);
  const release = context.headers.releaseVersion;
  checkAppAllowed(policy, aeMember(decoded, 'api'), release);
  if (!assigned) {
    await claimStem(runtime, stem, context);
  }
  const askedName = aeMember(decoded, 'rn');
  if (typeof askedName === 'string') {
    await claimName(runtime, askedName, context);
  }
  const content = validatedContent(decoded, release);
  const registration = newRegistration(runtime, context, {
    stem,
    rn: content.rn ?? (await pickName(runtime, stem, context)),
    content,
    policy,
  });
  await insert(runtime, registration);
  const credential = await activate(runtime, registration, context);
  return created(runtime, registration, context, credential);
}

async function claimStem(
  runtime: Runtime,
  stem: string,
  context: RequestContext,
): Promise<void> {
  const holder = await runtime.store.findByAei(stem);
  if (holder === undefined) {
    return;
  }
  if (!isExpired(holder, context.now)) {
    throw new AlreadyRegisteredError('the originator is registered already');
  }
  await endExpired(runtime, holder, context);
}

async function claimName(
  runtime: Runtime,
  rn: string,
  context: RequestContext,
): Promise<void> {
  const holder = await runtime.store.findByName(rn);
  if (holder === undefined) {
    return;
  }
  if (!isExpired(holder, context.now)) {
    throw new ConflictError('an <AE> with this name exists already');
  }
  await endExpired(runtime, holder, context);
}

async function endExpired(
  runtime: Runtime,
  holder: Registration,
  context: RequestContext,
): Promise<void> {
  await deregister(runtime, holder, {
    action: 'expired',
    actor: 'timer',
    requestId: context.headers.requestId,
  });
}

/**
 * Refuses an App-ID the policy does not allow (`4126`), in the originator
 * step. An App-ID that is absent or malformed cannot be judged; attribute
 * validation refuses it later (`4000`), so every registration that gets
 * through has had its App-ID judged here.
 */
function checkAppAllowed(
  policy: RegistrationPolicy,
  api: unknown,
  release: string,
): void {
  if (isWellFormedAppId(api, release) && !policy.allowsApp(api)) {
    throw new AppRuleValidationError(
      'the registration policy does not allow this App-ID',
    );
  }
}

/** A member of the body's `m2m:ae`, if it can be seen before validation. */
function aeMember(decoded: DecodedBody, name: 'api' | 'rn'): unknown {
  if (!decoded.ok) {
    return undefined;
  }
  const root = decoded.value as { 'm2m:ae'?: Record<string, unknown> } | null;
  const ae = typeof root === 'object' && root !== null ? root['m2m:ae'] : {};
  return typeof ae === 'object' && ae !== null ? ae[name] : undefined;
}

function validatedContent(decoded: DecodedBody, release: string): AeCreate {
  if (!decoded.ok) {
    throw decoded.error;
  }
  return validateCreate(aeContent(decoded.value, 'create'), release);
}

/**
 * **choice**: without `rn` the `<AE>` is named after its stem; when a live
 * `<AE>` already uses that name, a random suffix makes it unique. An
 * expired holder of the name is ended first, as for an asked name.
 */
async function pickName(
  runtime: Runtime,
  stem: string,
  context: RequestContext,
): Promise<string> {
  const holder = await runtime.store.findByName(stem);
  if (holder === undefined) {
    return stem;
  }
  if (isExpired(holder, context.now)) {
    await endExpired(runtime, holder, context);
    return stem;
  }
  return `${stem}_${randomAlphanumeric(runtime.randomBytes, 8)}`;
}

function newRegistration(
  runtime: Runtime,
  context: RequestContext,
  chosen: {
    stem: string;
    rn: string;
    content: AeCreate;
    policy: RegistrationPolicy;
  },
): Registration {
  const { now } = context;
  return {
    aei: chosen.stem,
    rn: chosen.rn,
    attributes: chosen.content.attributes,
    createdAt: now,
    modifiedAt: now,
    expiresAt: grantedExpiry(chosen.content.et, chosen.policy, now),
    version: 1,
    enrollmentId: chosen.policy.enrollmentId,
    salt: randomSalt(runtime.randomBytes),
    generation: 0,
  };
}

async function insert(
  runtime: Runtime,
  registration: Registration,
): Promise<void> {
  try {
    await runtime.store.insert(registration);
  } catch (error) {
    if (error instanceof StemTakenError) {
      throw new AlreadyRegisteredError('the originator is registered already');
    }
    if (error instanceof NameTakenError) {
      throw new ConflictError('an <AE> with this name exists already');
    }
    throw error;
  }
}

async function activate(
  runtime: Runtime,
  registration: Registration,
  context: RequestContext,
): Promise<CredentialMember | undefined> {
  const { aei } = registration;
  try {
    await runtime.timers.arm(aei, registration.expiresAt);
    const credential = await runtime.credentials.issue(
      registration,
      context.now,
    );
    await runtime.audit.append({
      aei,
      action: 'registered',
      at: context.now,
      actor: context.headers.originator ?? aei,
      requestId: context.headers.requestId,
      details: auditDetails(registration),
    });
    return credential;
  } catch (cause) {
    await compensate(runtime, registration);
    throw cause;
  }
}

function auditDetails(
  registration: Registration,
): Record<string, string | number> {
  const details: Record<string, string | number> = {
    expiresAt: registration.expiresAt,
    rn: registration.rn,
  };
  if (registration.enrollmentId !== undefined) {
    details.enrollmentId = registration.enrollmentId;
  }
  return details;
}

/** Undoes an insert whose follow-up failed; failures here are logged. */
async function compensate(
  runtime: Runtime,
  registration: Registration,
): Promise<void> {
  const { aei } = registration;
  // Disarm while the record still holds the stem: after the remove, the
  // stem may be registered again, and its timer has the same name.
  try {
    await runtime.timers.disarm(aei);
  } catch (cause) {
    runtime.logger.error('failed registration timer not disarmed', {
      aei,
      cause,
    });
  }
  try {
    await runtime.store.remove(aei, registration.version);
  } catch (cause) {
    runtime.logger.error('failed registration not removed', { aei, cause });
  }
}

function created(
  runtime: Runtime,
  registration: Registration,
  context: RequestContext,
  credential: CredentialMember | undefined,
): ProcedureResult {
  const uri = aeAddress(runtime.settings.cse, registration.rn);
  const ae = aeResource(registration, runtime.settings);
  const cred =
    credential === undefined ? {} : { 'm2m-registrar:cred': credential };
  const byResultContent = {
    0: credential === undefined ? undefined : cred,
    1: { 'm2m:ae': ae, ...cred },
    2: { 'm2m:uri': uri, ...cred },
    3: { 'm2m:rce': { ae, uri }, ...cred },
  };
  return {
    rsc: Rsc.CREATED,
    content: byResultContent[context.query.resultContent],
    contentLocation: uri,
    aei: registration.aei,
  };
}
