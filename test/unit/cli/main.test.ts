import { describe, expect, it } from 'vitest';
import {
  type CommandContext,
  CommandFailedError,
  type CommandGroup,
} from '#registrar/cli/command.ts';
import { main } from '#registrar/cli/main.ts';

function harness() {
  const out: string[] = [];
  const err: string[] = [];
  const seen: CommandContext[] = [];
  const groups: CommandGroup[] = [
    {
      name: 'solo',
      summary: 'a group that is its own command',
      commands: [
        {
          summary: 'prints the port',
          run: async (context) => {
            seen.push(context);
            context.print({ port: context.settings().port }, (v) =>
              String(v.port),
            );
            return undefined;
          },
        },
      ],
    },
    {
      name: 'thing',
      summary: 'things',
      commands: [
        {
          name: 'show',
          summary: 'shows a thing',
          arguments: ['ID'],
          options: { verbose: { type: 'boolean' } },
          run: async (context) => {
            seen.push(context);
            if (context.args[0] === 'missing') {
              throw new CommandFailedError('no thing missing');
            }
            context.print({ id: context.args[0] }, (v) => `thing ${v.id}`);
            return undefined;
          },
        },
      ],
    },
  ];
  const io = {
    stdout: (text: string) => void out.push(text),
    stderr: (text: string) => void err.push(text),
  };
  const run = (argv: string[], env: Record<string, string> = {}) =>
    main(argv, env, io, groups);
  return { out, err, seen, run };
}

describe('m2m-registrar command line', () => {
  it('runs a command of a group with its positional argument', async () => {
    const { out, err, run } = harness();

    const status = await run(['thing', 'show', 'x1']);

    expect(status).toBe(0);
    expect(out.join('')).toBe('thing x1\n');
    expect(err).toEqual([]);
  });

  it('prints JSON on stdout with --json', async () => {
    const { out, run } = harness();

    await run(['thing', 'show', 'x1', '--json']);

    expect(JSON.parse(out.join(''))).toEqual({ id: 'x1' });
  });

  it('runs a group that is its own command', async () => {
    const { out, run } = harness();

    const status = await run(['solo']);

    expect(status).toBe(0);
    expect(out.join('')).toBe('8080\n');
  });

  it.each([
    ['a variable-named flag', ['solo', '--M2M_PORT', '9001']],
    ['a variable-named flag with =', ['solo', '--M2M_PORT=9001']],
    ['the short flag', ['solo', '--port', '9001']],
  ])('lets %s override the environment', async (_case, argv) => {
    const { out, run } = harness();

    await run(argv, { M2M_PORT: '7000' });

    expect(out.join('')).toBe('9001\n');
  });

  it('reads settings from the environment', async () => {
    const { out, run } = harness();

    await run(['solo'], { M2M_PORT: '7000' });

    expect(out.join('')).toBe('7000\n');
  });

  it.each([
    ['an unknown group', ['nothing']],
    ['an unknown command', ['thing', 'nothing']],
    ['a missing argument', ['thing', 'show']],
    ['an extra argument', ['thing', 'show', 'a', 'b']],
    ['an unknown option', ['thing', 'show', 'a', '--colour']],
    ['a setting flag without a value', ['solo', '--M2M_PORT']],
  ])('exits 2 with a message on stderr for %s', async (_case, argv) => {
    const { out, err, run } = harness();

    const status = await run(argv);

    expect(status).toBe(2);
    expect(out).toEqual([]);
    expect(err.join('')).toMatch(/^m2m-registrar: /);
  });

  it('exits 2 naming the setting when a setting is malformed', async () => {
    const { err, run } = harness();

    const status = await run(['solo', '--port', 'eighty']);

    expect(status).toBe(2);
    expect(err.join('')).toContain('M2M_PORT');
  });

  it('exits 1 with a JSON error on stderr when a command fails', async () => {
    const { out, err, run } = harness();

    const status = await run(['thing', 'show', 'missing', '--json']);

    expect(status).toBe(1);
    expect(out).toEqual([]);
    expect(JSON.parse(err.join(''))).toEqual({ error: 'no thing missing' });
  });

  it('lists every command in its help', async () => {
    const { out, run } = harness();

    const status = await run(['--help']);

    expect(status).toBe(0);
    expect(out.join('')).toContain('thing show ID');
    expect(out.join('')).toContain('solo');
  });

  it('shows the options of a command with --help', async () => {
    const { out, seen, run } = harness();

    const status = await run(['thing', 'show', '--help']);

    expect(status).toBe(0);
    expect(out.join('')).toContain('--verbose');
    expect(seen).toEqual([]);
  });
});
