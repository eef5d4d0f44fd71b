import { describe, expect, it } from 'vitest';
import { SettingError } from '#registrar/commons/settings.ts';
import { enrollmentPolicy } from '#registrar/security/enrollment-policy.ts';
import { parseKeyId } from '#registrar/security/keyid.ts';
import { lockoutState } from '#registrar/security/lockout.ts';
import {
  appIdPatternProblem,
  matchesPattern,
  originatorPatternProblem,
} from '#registrar/security/patterns.ts';
import { readSecuritySettings } from '#registrar/security/security-settings.ts';

describe('matchesPattern', () => {
  it.each([
    ['Csensor-17', 'Csensor-*', true],
    ['Csensor-', 'Csensor-*', true],
    ['Cother', 'Csensor-*', false],
    ['anything', '*', true],
    ['Cexact', 'Cexact', true],
    ['Cexact2', 'Cexact', false],
    ['Ca-x-b', 'C*-x-*', true],
    ['Cab', 'C*b*b', false],
    ['Cbb', 'C*b*b', true],
    ['C.x', 'C.*', true],
    ['Cax', 'C.*', false],
  ])('matches %s against %s: %s', (value, pattern, expected) => {
    expect(matchesPattern(value, pattern)).toBe(expected);
  });
});

describe('appIdPatternProblem', () => {
  it.each(['Nmeter', 'N*', 'Rcom.example.*', 'r*', '*', '*-app'])(
    'accepts %s',
    (pattern) => {
      expect(appIdPatternProblem(pattern)).toBeUndefined();
    },
  );

  it.each(['xyz', 'n*', 'Cmeter', '-N'])('refuses %s', (pattern) => {
    expect(appIdPatternProblem(pattern)).toMatch(
      `App-ID pattern "${pattern}" can never match`,
    );
  });
});

describe('originatorPatternProblem', () => {
  it.each(['Csensor-*', 'C', 'S*', '*', '*-gw'])('accepts %s', (pattern) => {
    expect(originatorPatternProblem(pattern)).toBeUndefined();
  });

  it.each(['sensor-*', 'c*', 'Nx', 'id-in'])('refuses %s', (pattern) => {
    expect(originatorPatternProblem(pattern)).toMatch(
      `originator pattern "${pattern}" can never match`,
    );
  });
});

describe('parseKeyId', () => {
  it.each([
    [
      'enr:plant-7:1',
      { kind: 'enrollment', enrollmentId: 'plant-7', keyVersion: 1 },
    ],
    ['reg:Cdemo1:0', { kind: 'registration', aei: 'Cdemo1', generation: 0 }],
    ['reg:S-x:12', { kind: 'registration', aei: 'S-x', generation: 12 }],
    ['adm:1', { kind: 'admin', keyVersion: 1 }],
  ])('reads %s', (keyid, expected) => {
    expect(parseKeyId(keyid)).toEqual(expected);
  });

  it.each([
    'enr:plant-7:01',
    'enr:plant-7',
    'reg:Cdemo1:-1',
    'reg::0',
    'reg:C:d:0',
    'adm:x',
    'test-shared-secret',
  ])('reads nothing in %s', (keyid) => {
    expect(parseKeyId(keyid)).toBeUndefined();
  });
});

describe('lockoutState', () => {
  const policy = { threshold: 3, lockoutMs: 60_000, baseDelayMs: 1000 };

  it('is open without failures', () => {
    expect(lockoutState(undefined, policy, 0)).toEqual({ kind: 'open' });
  });

  it.each([
    [1, 1000],
    [2, 2000],
  ])('throttles after %i failures for %i ms', (count, delay) => {
    const record = { count, lastFailureAt: 10_000 };

    expect(lockoutState(record, policy, 10_000)).toEqual({
      kind: 'throttled',
      until: 10_000 + delay,
    });
    expect(lockoutState(record, policy, 10_000 + delay)).toEqual({
      kind: 'open',
    });
  });

  it('locks at the threshold until the lock time has passed', () => {
    const record = { count: 3, lastFailureAt: 10_000 };

    expect(lockoutState(record, policy, 69_999)).toEqual({
      kind: 'locked',
      until: 70_000,
    });
    expect(lockoutState(record, policy, 70_000)).toEqual({ kind: 'open' });
  });
});

describe('enrollmentPolicy', () => {
  const policy = enrollmentPolicy({
    id: 'plant-7',
    originators: ['Csensor-*', 'Cgateway'],
    apps: ['Nmeter*'],
    defaultLifetimeS: 60,
    maxLifetimeS: 120,
    targets: [],
    state: 'active',
    keyVersion: 1,
    createdAt: 0,
  });

  it('allows the originators and App-IDs of its patterns only', () => {
    expect(policy.allowsOriginator('Csensor-1')).toBe(true);
    expect(policy.allowsOriginator('Cgateway')).toBe(true);
    expect(policy.allowsOriginator('Cintruder')).toBe(false);
    expect(policy.allowsApp('Nmeter-v2')).toBe(true);
    expect(policy.allowsApp('Nother')).toBe(false);
  });

  it('gives lifetimes in milliseconds and names its enrollment', () => {
    expect(policy).toMatchObject({
      enrollmentId: 'plant-7',
      defaultLifetimeMs: 60_000,
      maxLifetimeMs: 120_000,
    });
  });
});

describe('readSecuritySettings', () => {
  it('has the documented defaults', () => {
    expect(readSecuritySettings({})).toEqual({
      rotationGraceS: 300,
      lockout: { threshold: 5, lockoutMs: 900_000, baseDelayMs: 1000 },
      adminKeyVersion: 1,
    });
  });

  it.each([
    ['M2M_ROTATION_GRACE_S', '-1'],
    ['M2M_LOCKOUT_THRESHOLD', '0'],
    ['M2M_LOCKOUT_S', 'soon'],
  ])('refuses %s=%s naming the setting', (name, value) => {
    expect(() => readSecuritySettings({ [name]: value })).toThrow(SettingError);
    expect(() => readSecuritySettings({ [name]: value })).toThrow(name);
  });
});
