import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDuration } from '#registrar/cli/enrollment.ts';
import { main } from '#registrar/cli/main.ts';

let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'm2m-cli-enrollment-'));
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    argv,
    { M2M_DATA_DIR: dataDir },
    { stdout: (text) => out.push(text), stderr: (text) => err.push(text) },
  );
  return { code, out: out.join(''), err: err.join('') };
}

// biome-ignore lint/suspicious/noExplicitAny: tests walk printed JSON freely
function json(text: string): any {
  return JSON.parse(text);
}

describe('enrollment commands', () => {
  it('creates an enrollment and prints its keyid and master credential', async () => {
    const created = await run(
      'enrollment',
      'create',
      '--id',
      'plant-7',
      '--originators',
      'Csensor-*,Cgw',
      '--apps',
      'Nmeter',
      '--default-lifetime',
      '15m',
      '--max-lifetime',
      '2h',
      '--targets',
      '/id-mn1',
      '--json',
    );

    const shown = json(created.out);
    expect(created.code).toBe(0);
    expect(shown.enrollment).toMatchObject({
      id: 'plant-7',
      keyid: 'enr:plant-7:1',
      state: 'active',
      originators: ['Csensor-*', 'Cgw'],
      apps: ['Nmeter'],
      defaultLifetimeS: 900,
      maxLifetimeS: 7200,
      targets: ['/id-mn1'],
    });
    expect(shown.masterCredential).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('derives the same master credential again', async () => {
    const created = json(
      (await run('enrollment', 'create', '--id', 'e1', '--json')).out,
    );

    const again = json(
      (await run('enrollment', 'credential', 'e1', '--json')).out,
    );

    expect(again.masterCredential).toBe(created.masterCredential);
  });

  it('lists, shows and disables enrollments, never showing a credential', async () => {
    await run('enrollment', 'create', '--id', 'e2');
    await run('enrollment', 'create', '--id', 'e1');

    const disabled = await run('enrollment', 'disable', 'e1');
    const listed = await run('enrollment', 'list', '--json');
    const shown = await run('enrollment', 'show', 'e1');

    expect(disabled.code).toBe(0);
    expect(
      json(listed.out).map((e: { id: string; state: string }) => [
        e.id,
        e.state,
      ]),
    ).toEqual([
      ['e1', 'disabled'],
      ['e2', 'active'],
    ]);
    expect(listed.out).not.toMatch(/masterCredential/);
    expect(shown.out).toMatch(/state: +disabled/);
    expect(shown.out).not.toMatch(/credential/);
  });

  it('moves to the next key version on rekey, with another credential', async () => {
    const created = json(
      (await run('enrollment', 'create', '--id', 'e1', '--json')).out,
    );

    const rekeyed = json(
      (await run('enrollment', 'rekey', 'e1', '--json')).out,
    );

    expect(rekeyed.enrollment.keyid).toBe('enr:e1:2');
    expect(rekeyed.masterCredential).not.toBe(created.masterCredential);
  });

  it.each([
    [['enrollment', 'create'], 2, /--id is required/],
    [['enrollment', 'create', '--id', 'bad id'], 2, /the id needs/],
    [
      ['enrollment', 'create', '--id', 'x', '--max-lifetime', '2y'],
      2,
      /duration/,
    ],
    [
      [
        'enrollment',
        'create',
        '--id',
        'x',
        '--default-lifetime',
        '2h',
        '--max-lifetime',
        '1h',
      ],
      2,
      /must not exceed/,
    ],
    [
      ['enrollment', 'create', '--id', 'x', '--targets', 'id-mn1'],
      2,
      /not a CSE-ID/,
    ],
    [
      ['enrollment', 'create', '--id', 'x', '--apps', 'xyz'],
      2,
      /App-ID pattern "xyz" can never match: an App-ID starts with N, R or r/,
    ],
    [
      ['enrollment', 'create', '--id', 'x', '--apps', 'Nok,app-*'],
      2,
      /App-ID pattern "app-\*" can never match/,
    ],
    [
      ['enrollment', 'create', '--id', 'x', '--originators', 'sensor-*'],
      2,
      /originator pattern "sensor-\*" can never match: an originator starts with C or S/,
    ],
    [['enrollment', 'show', 'nobody'], 1, /no enrollment nobody/],
    [['enrollment', 'credential', 'nobody'], 1, /no enrollment nobody/],
  ])('refuses %j with exit %i', async (argv, code, message) => {
    const result = await run(...argv);

    expect(result.code).toBe(code);
    expect(result.err).toMatch(message);
  });

  it('accepts patterns that start with a valid first character or *', async () => {
    const created = await run(
      'enrollment',
      'create',
      '--id',
      'x',
      '--originators',
      'C*,S*,*-gw',
      '--apps',
      'Nmeter,Rcom.example.*,r*,*-app',
      '--json',
    );

    expect(created.code).toBe(0);
    expect(json(created.out).enrollment).toMatchObject({
      originators: ['C*', 'S*', '*-gw'],
      apps: ['Nmeter', 'Rcom.example.*', 'r*', '*-app'],
    });
  });

  it('refuses a second enrollment with the same id', async () => {
    await run('enrollment', 'create', '--id', 'e1');

    const again = await run('enrollment', 'create', '--id', 'e1');

    expect(again.code).toBe(1);
    expect(again.err).toMatch(/enrollment e1 exists/);
  });

  it('prints the operator credential with its keyid and originator', async () => {
    const shown = json((await run('operator', 'credential', '--json')).out);

    expect(shown).toMatchObject({ originator: 'CAdmin', keyid: 'adm:1' });
    expect(shown.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('parseDuration', () => {
  it.each([
    ['90s', 90],
    ['15m', 900],
    ['2h', 7200],
    ['7d', 604_800],
    ['45', 45],
  ])('reads %s as %i seconds', (text, seconds) => {
    expect(parseDuration('x', text)).toBe(seconds);
  });

  it.each(['', '1w', '-5s', '1.5h', 'h'])('refuses "%s"', (text) => {
    expect(() => parseDuration('x', text)).toThrow(/duration/);
  });
});
