import type { RequestHeaders } from '#registrar/onem2m/headers.ts';
import type { RequestQuery } from '#registrar/onem2m/query.ts';
import type { Outcome } from '#registrar/onem2m/response.ts';
import type { Principal } from '#registrar/ports/authenticator.ts';
import type { RandomBytes } from './random.ts';
import type { RegistrarDependencies } from './registrar.ts';

/** The dependencies with their defaults filled in. */
export interface Runtime extends RegistrarDependencies {
  readonly randomBytes: RandomBytes;
  readonly cseCreatedAt: number;
}

/** One request after the header checks and authentication. */
export interface RequestContext {
  readonly headers: RequestHeaders;
  readonly query: RequestQuery;
  readonly principal: Principal;
  /** When the request was received, epoch ms. */
  readonly now: number;
  readonly body: Uint8Array | undefined;
}

/** What a procedure answers, with the AE-ID it acted on for the logs. */
export interface ProcedureResult extends Outcome {
  readonly aei?: string | undefined;
}

/** How many times a conditional write is tried against concurrent writes. */
export const MAX_WRITE_ATTEMPTS = 4;
