import { checkBodySize } from '#registrar/onem2m/body.ts';
import {
  InvalidChildResourceTypeError,
  NotFoundError,
  OneM2mError,
  OperationNotAllowedError,
} from '#registrar/onem2m/errors.ts';
import {
  type HeaderProgress,
  parseRequestHeaders,
  type RequestHeaders,
} from '#registrar/onem2m/headers.ts';
import type { HttpRequest, HttpResponse } from '#registrar/onem2m/message.ts';
import { parseQuery } from '#registrar/onem2m/query.ts';
import {
  buildResponse,
  errorOutcome,
  type Outcome,
} from '#registrar/onem2m/response.ts';
import { Rsc } from '#registrar/onem2m/rsc.ts';
import { resolveTarget, type Target } from '#registrar/onem2m/target.ts';
import type { Principal } from '#registrar/ports/authenticator.ts';
import {
  isRotationPath,
  rotateCredential,
} from '#registrar/security/rotation.ts';
import { bindPrincipal, checkAeAccess } from './access.ts';
import { deleteAe, retrieveAe, updateAe } from './ae-operations.ts';
import type { ProcedureResult, RequestContext, Runtime } from './context.ts';
import { isExpired, type Registration } from './model.ts';
import { register } from './register.ts';
import { AE_RESOURCE_TYPE, cseBaseResource } from './representation.ts';

/** The `m2m:dbg` of every unexpected failure; the cause is only logged. */
export const INTERNAL_ERROR_MESSAGE = 'internal error';

/** What the pipeline learnt about a request, for its log line. */
interface Trace extends HeaderProgress {
  aei?: string | undefined;
}

/**
 * The `5xxx` codes that answer a caller's mistake rather than a failure of
 * the registrar, logged at warn like the `4xxx` ones.
 */
const CALLER_MISTAKES_5XXX: ReadonlySet<number> = new Set([Rsc.NOT_ACCEPTABLE]);

/**
 * Handles one request in the contract's check order and never throws.
 *
 * Order: body size, header checks and query (`4000`, `4001`, `4005`,
 * `4008`, `4015`, `5207`), authentication and its binding to the
 * originator (`4106`), target lookup (`4004`), operation, resource type
 * and parent type (`4005`, `4108`), access (`4103`), then the procedure's own
 * checks. One `request handled` line is logged per request: info for
 * success, warn for a caller's mistake (`4xxx`, `5207`), error for a
 * failure of the registrar (`5000`, its cause on a line of its own).
 */
export async function handleRequest(
  runtime: Runtime,
  request: HttpRequest,
): Promise<HttpResponse> {
  const trace: Trace = {};
  let outcome: Outcome;
  try {
    const result = await run(runtime, request, trace);
    trace.aei = result.aei;
    outcome = result;
  } catch (error) {
    outcome = failureOutcome(runtime, error, trace);
  }
  try {
    logOutcome(runtime, outcome, trace);
  } catch {
    // A broken logger must not turn an answered request into a throw.
  }
  return buildResponse(outcome, request);
}

async function run(
  runtime: Runtime,
  request: HttpRequest,
  trace: Trace,
): Promise<ProcedureResult> {
  const now = runtime.clock.now();
  checkBodySize(request.body);
  const headers = parseRequestHeaders(request, now, trace);
  const query = parseQuery(request.query, headers.operation);
  const principal = await runtime.authenticator.authenticate(request);
  bindPrincipal(principal, headers, runtime.settings);
  if (isRotationPath(request.path)) {
    return rotate(runtime, request, headers, principal, now);
  }
  const target = resolveTarget(request.path, runtime.settings.cse);
  const context: RequestContext = {
    headers,
    query,
    principal,
    now,
    body: request.body,
  };
  const found = await lookup(runtime, target, now);
  if (found === 'cse') {
    return onCseBase(runtime, context);
  }
  trace.aei = found.aei;
  return onAe(runtime, context, found);
}

async function lookup(
  runtime: Runtime,
  target: Target,
  now: number,
): Promise<Registration | 'cse'> {
  if (target.kind === 'cse') {
    return 'cse';
  }
  const { store } = runtime;
  const found =
    target.kind === 'aeByName'
      ? await store.findByName(target.rn)
      : await store.findByAei(target.ri);
  if (found === undefined || isExpired(found, now)) {
    throw new NotFoundError('no resource at this path');
  }
  return found;
}

function onCseBase(
  runtime: Runtime,
  context: RequestContext,
): Promise<ProcedureResult> | ProcedureResult {
  const { operation } = context.headers;
  if (operation === 'retrieve') {
    const cb = cseBaseResource(runtime.settings, runtime.cseCreatedAt);
    return { rsc: Rsc.OK, content: { 'm2m:cb': cb } };
  }
  if (operation === 'create') {
    checkCreatesAe(context);
    return register(runtime, context);
  }
  throw new OperationNotAllowedError(
    `${operation} is not allowed on the <CSEBase>`,
  );
}

function onAe(
  runtime: Runtime,
  context: RequestContext,
  registration: Registration,
): Promise<ProcedureResult> | ProcedureResult {
  const { operation, originator } = context.headers;
  if (operation === 'notify') {
    throw new OperationNotAllowedError('this CSE takes no Notify for an <AE>');
  }
  if (operation === 'create') {
    checkCreatesAe(context);
    throw new InvalidChildResourceTypeError(
      'an <AE> can only be created under the <CSEBase>',
    );
  }
  checkAeAccess(originator, registration, runtime.settings);
  if (operation === 'retrieve') {
    return retrieveAe(runtime, registration);
  }
  if (operation === 'update') {
    return updateAe(runtime, registration, context);
  }
  return deleteAe(runtime, registration, context);
}

/** The registrar's own credential rotation (security/rotation.ts). */
function rotate(
  runtime: Runtime,
  request: HttpRequest,
  headers: RequestHeaders,
  principal: Principal,
  now: number,
): Promise<ProcedureResult> {
  if (headers.operation !== 'notify') {
    throw new OperationNotAllowedError(
      'a rotation is a POST without a resource type',
    );
  }
  return rotateCredential(
    { ...runtime, rotationGraceS: runtime.rotationGraceS ?? 300 },
    {
      principal,
      originator: headers.originator,
      requestId: headers.requestId,
      now,
      body: request.body,
    },
  );
}

/**
 * A Create of any other type is the caller's mistake (`4005`), never a
 * `5001`: this registrar serves `<AE>` registration only.
 */
function checkCreatesAe(context: RequestContext): void {
  if (context.headers.resourceType !== AE_RESOURCE_TYPE) {
    throw new OperationNotAllowedError(
      'this registrar creates only <AE> resources (ty=2)',
    );
  }
}

function failureOutcome(
  runtime: Runtime,
  error: unknown,
  trace: Trace,
): Outcome {
  if (error instanceof OneM2mError) {
    return errorOutcome(error.rsc, error.message);
  }
  try {
    runtime.logger.error('unexpected failure', {
      ...trace,
      cause: describe(error),
    });
  } catch {
    // The answer stays 5000 even when the cause cannot be logged.
  }
  return errorOutcome(Rsc.INTERNAL_SERVER_ERROR, INTERNAL_ERROR_MESSAGE);
}

function logOutcome(runtime: Runtime, outcome: Outcome, trace: Trace): void {
  const fields = { ...trace, rsc: outcome.rsc };
  if (outcome.rsc >= 5000 && !CALLER_MISTAKES_5XXX.has(outcome.rsc)) {
    runtime.logger.error('request handled', fields);
  } else if (outcome.rsc >= 4000) {
    const dbg = outcome.content?.['m2m:dbg'];
    runtime.logger.warn('request handled', { ...fields, reason: dbg });
  } else {
    runtime.logger.info('request handled', fields);
  }
}

/** The name, message and stack of a thrown value, never its own fields. */
function describe(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    return { name: error.name, message: error.message, stack: error.stack };
  }
  return { name: typeof error };
}
