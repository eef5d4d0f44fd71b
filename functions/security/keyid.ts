/**
 * The `keyid` values of security.md section 3, and the operator's own.
 *
 * Numbers are canonical decimals (no sign, no leading zeros), so one key
 * has exactly one keyid.
 */

/** What a `keyid` names. */
export type KeyReference =
  | {
      readonly kind: 'enrollment';
      readonly enrollmentId: string;
      readonly keyVersion: number;
    }
  | {
      readonly kind: 'registration';
      readonly aei: string;
      readonly generation: number;
    }
  | { readonly kind: 'admin'; readonly keyVersion: number };

/** The characters of an enrollment id, 1 to 64 of them. */
export const ENROLLMENT_ID_PATTERN = /^[A-Za-z0-9._~-]{1,64}$/;

const counter = '(0|[1-9][0-9]{0,8})';
const enrollmentKeyid = new RegExp(`^enr:([A-Za-z0-9._~-]{1,64}):${counter}$`);
const registrationKeyid = new RegExp(
  `^reg:([A-Za-z0-9._~-]{1,128}):${counter}$`,
);
const adminKeyid = new RegExp(`^adm:${counter}$`);

/** `enr:<enrollmentId>:<keyVersion>`: the master credential's keyid. */
export function enrollmentKeyId(enrollmentId: string, keyVersion: number) {
  return `enr:${enrollmentId}:${keyVersion}`;
}

/** `reg:<aei>:<generation>`: the registration secret's keyid. */
export function registrationKeyId(aei: string, generation: number): string {
  return `reg:${aei}:${generation}`;
}

/** `adm:<keyVersion>`: the operator credential's keyid. */
export function adminKeyId(keyVersion: number): string {
  return `adm:${keyVersion}`;
}

/** What `keyid` names, or `undefined` when it has none of the shapes. */
export function parseKeyId(keyid: string): KeyReference | undefined {
  const enrollment = enrollmentKeyid.exec(keyid);
  if (enrollment) {
    return {
      kind: 'enrollment',
      enrollmentId: enrollment[1] as string,
      keyVersion: Number(enrollment[2]),
    };
  }
  const registration = registrationKeyid.exec(keyid);
  if (registration) {
    return {
      kind: 'registration',
      aei: registration[1] as string,
      generation: Number(registration[2]),
    };
  }
  const admin = adminKeyid.exec(keyid);
  return admin ? { kind: 'admin', keyVersion: Number(admin[1]) } : undefined;
}
