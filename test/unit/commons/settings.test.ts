import { describe, expect, it } from 'vitest';
import {
  readLocalSettings,
  readRegistrarSettings,
  SettingError,
} from '#registrar/commons/settings.ts';

describe('settings', () => {
  it('uses the defaults of product.md when nothing is set', () => {
    const settings = readLocalSettings({});

    expect(settings).toMatchObject({
      cse: {
        cseId: '/id-in',
        cseRn: 'cse-in',
        cseRi: 'id-in',
        spId: 'registrar.example.com',
      },
      adminOriginator: 'CAdmin',
      security: 'signed',
      clockSkewS: 300,
      host: '127.0.0.1',
      port: 8080,
      dataDir: './.data',
    });
  });

  it.each([
    ['M2M_CSE_RN', '-'],
    ['M2M_CSE_RN', '~'],
    ['M2M_CSE_RN', '_'],
    ['M2M_CSE_RN', '.well-known'],
    ['M2M_CSE_RN', 'a/b'],
    ['M2M_CSE_ID', 'id-in'],
    ['M2M_CSE_ID', '/~'],
    ['M2M_SECURITY', 'none'],
    ['M2M_CLOCK_SKEW_S', '5m'],
    ['M2M_CLOCK_SKEW_S', '0'],
    ['M2M_ADMIN_ORIGINATOR', 'admin'],
  ])('refuses %s=%s and names the setting', (name, value) => {
    const read = () => readRegistrarSettings({ [name]: value });

    expect(read).toThrow(SettingError);
    expect(read).toThrow(name);
  });

  it('refuses a default lifetime longer than the maximum', () => {
    const read = () =>
      readRegistrarSettings({
        M2M_DEFAULT_LIFETIME_S: '600',
        M2M_MAX_LIFETIME_S: '60',
      });

    expect(read).toThrow('M2M_DEFAULT_LIFETIME_S');
  });

  it('derives the CSEBase ri from the CSE-ID', () => {
    const settings = readRegistrarSettings({ M2M_CSE_ID: '/mn-cse-7' });

    expect(settings.cse.cseRi).toBe('mn-cse-7');
  });
});
