import type { RegistrarSettings } from '#registrar/commons/settings.ts';
import { SUPPORTED_RELEASES } from '#registrar/onem2m/headers.ts';
import { formatTimestamp } from '#registrar/onem2m/timestamp.ts';
import type { Registration } from './model.ts';

/** oneM2M resource type of `<AE>`. */
export const AE_RESOURCE_TYPE = 2;
/** oneM2M resource type of `<CSEBase>`. */
export const CSE_BASE_RESOURCE_TYPE = 5;
/** `cst` of an infrastructure node CSE (IN-CSE). */
const IN_CSE = 1;

/** The `m2m:ae` representation of `registration`. */
export function aeResource(
  registration: Registration,
  settings: RegistrarSettings,
): Record<string, unknown> {
  return {
    rn: registration.rn,
    ty: AE_RESOURCE_TYPE,
    ri: registration.aei,
    pi: settings.cse.cseRi,
    ct: formatTimestamp(registration.createdAt),
    lt: formatTimestamp(registration.modifiedAt),
    et: formatTimestamp(registration.expiresAt),
    aei: registration.aei,
    ...registration.attributes,
  };
}

/**
 * The `m2m:cb` representation of the `<CSEBase>`.
 *
 * @param createdAt when the `<CSEBase>` came into being, epoch ms.
 */
export function cseBaseResource(
  settings: RegistrarSettings,
  createdAt: number,
): Record<string, unknown> {
  const { cse } = settings;
  return {
    ri: cse.cseRi,
    rn: cse.cseRn,
    ty: CSE_BASE_RESOURCE_TYPE,
    csi: cse.cseId,
    cst: IN_CSE,
    srv: [...SUPPORTED_RELEASES],
    ct: formatTimestamp(createdAt),
    lt: formatTimestamp(createdAt),
  };
}
