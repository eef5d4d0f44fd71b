import type { RegistrarSettings } from '#registrar/commons/settings.ts';
import {
  AppRuleValidationError,
  BadRequestError,
  SecurityAssociationRequiredError,
} from '#registrar/onem2m/errors.ts';
import { type RandomBytes, randomAlphanumeric } from './random.ts';

/** Length of the random part of a CSE-assigned stem. */
export const ASSIGNED_STEM_RANDOM_LENGTH = 16;

/** The AE-ID stem a Create `<AE>` asks for. */
export interface RequestedStem {
  readonly stem: string;
  /** `true` when the CSE chose it (originator absent, empty, `C` or `S`). */
  readonly assigned: boolean;
}

/**
 * Applies the originator rules of onem2m.md section 4 to the `X-M2M-Origin`
 * of a Create `<AE>`, in the contract's order.
 *
 * **choice**: a stem is `C` or `S` and 1 to 64 unreserved characters; a
 * longer or stranger one is `4000`. A stem equal to the `<CSEBase>` name is
 * `4000` too, since `/<stem>` would then address the `<CSEBase>`.
 *
 * @throws {SecurityAssociationRequiredError} (`4107`) a CSE-ID.
 * @throws {BadRequestError} (`4000`) not a `C…` or `S…` stem.
 * @throws {AppRuleValidationError} (`4126`) the admin originator.
 */
export function requestedStem(
  originator: string | undefined,
  settings: RegistrarSettings,
  random: RandomBytes,
): RequestedStem {
  if (originator === undefined || originator === 'C' || originator === 'S') {
    const prefix = originator ?? 'C';
    const suffix = randomAlphanumeric(random, ASSIGNED_STEM_RANDOM_LENGTH);
    return { stem: `${prefix}${suffix}`, assigned: true };
  }
  const { cse } = settings;
  if (originator.startsWith('/') || originator === cse.cseRi) {
    throw new SecurityAssociationRequiredError(
      'a CSE-ID cannot register as an AE',
    );
  }
  if (!/^[CS][A-Za-z0-9._~-]{1,64}$/.test(originator)) {
    throw new BadRequestError(
      'X-M2M-Origin must be C or S followed by unreserved characters',
    );
  }
  if (originator === cse.cseRn) {
    throw new BadRequestError('X-M2M-Origin clashes with the CSEBase name');
  }
  if (originator === settings.adminOriginator) {
    throw new AppRuleValidationError('the admin originator cannot register');
  }
  return { stem: originator, assigned: false };
}
