import { type Env, integerSetting } from '#registrar/commons/settings.ts';
import type { LockoutPolicy } from './lockout.ts';

/**
 * Settings of signed mode beyond {@link RegistrarSettings}, read once from
 * environment variables:
 *
 * | Variable | Default | Meaning |
 * | --- | --- | --- |
 * | `M2M_ROTATION_GRACE_S` | `300` | how long the previous generation's secret still works after a rotation |
 * | `M2M_LOCKOUT_THRESHOLD` | `5` | failed master-credential signatures in a row that lock an enrollment |
 * | `M2M_LOCKOUT_S` | `900` | how long a lock lasts |
 * | `M2M_LOCKOUT_DELAY_MS` | `1000` | delay after the first failure, doubling with each |
 * | `M2M_ADMIN_KEY_VERSION` | `1` | version of the operator credential (keyid `adm:<version>`) |
 *
 * @see RegistrarSettings for `M2M_CLOCK_SKEW_S` and `M2M_SECURITY`.
 */
export interface SecuritySettings {
  /** Grace period of the previous generation after a rotation, seconds. */
  readonly rotationGraceS: number;
  readonly lockout: LockoutPolicy;
  /** The operator credential's version. */
  readonly adminKeyVersion: number;
}

/** Reads the signed-mode settings from `env`. */
export function readSecuritySettings(env: Env): SecuritySettings {
  const day = 24 * 3600;
  return {
    rotationGraceS: integerSetting(env, 'M2M_ROTATION_GRACE_S', 300, {
      min: 0,
      max: day,
    }),
    lockout: {
      threshold: integerSetting(env, 'M2M_LOCKOUT_THRESHOLD', 5, {
        min: 1,
        max: 1000,
      }),
      lockoutMs:
        integerSetting(env, 'M2M_LOCKOUT_S', 900, { min: 1, max: day }) * 1000,
      baseDelayMs: integerSetting(env, 'M2M_LOCKOUT_DELAY_MS', 1000, {
        min: 0,
        max: 60_000,
      }),
    },
    adminKeyVersion: integerSetting(env, 'M2M_ADMIN_KEY_VERSION', 1, {
      min: 0,
      max: 999_999_999,
    }),
  };
}
