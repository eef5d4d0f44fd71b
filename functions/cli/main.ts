/**
 * The `m2m-registrar` command line: `m2m-registrar GROUP [COMMAND] [ARGS]`.
 *
 * Settings come from environment variables; a flag with a variable's name
 * (`--M2M_PORT 8081` or `--M2M_PORT=8081`) or one of the short forms in
 * {@link settingFlags} (`--port 8081`) overrides the variable for this run.
 */
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { SettingError } from '#registrar/commons/settings.ts';
import { OneM2mError } from '#registrar/onem2m/errors.ts';
import {
  type Command,
  CommandFailedError,
  type CommandGroup,
  createContext,
  type Env,
  type Io,
  UsageError,
} from './command.ts';
import { commandGroups } from './groups.ts';

/** Short flags for the most used settings, and the variable each sets. */
export const settingFlags: Readonly<Record<string, string>> = {
  host: 'M2M_HOST',
  port: 'M2M_PORT',
  'data-dir': 'M2M_DATA_DIR',
  stack: 'M2M_STACK',
  security: 'M2M_SECURITY',
  'log-level': 'M2M_LOG_LEVEL',
};

const commonOptions: ParseArgsOptionsConfig = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  ...Object.fromEntries(
    Object.keys(settingFlags).map((flag) => [flag, { type: 'string' }]),
  ),
};

const stdio: Io = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/** Runs one command line; resolves with the process exit code. */
export async function main(
  argv: readonly string[],
  env: Env = process.env,
  io: Io = stdio,
  groups: readonly CommandGroup[] = commandGroups,
): Promise<number> {
  const json = argv.includes('--json');
  try {
    return await dispatch(argv, env, io, groups);
  } catch (error) {
    return report(error, json, io);
  }
}

async function dispatch(
  argv: readonly string[],
  env: Env,
  io: Io,
  groups: readonly CommandGroup[],
): Promise<number> {
  const { rest, overrides } = extractSettingFlags(argv);
  const [groupName, ...afterGroup] = rest;
  if (groupName === undefined || isHelp(groupName)) {
    io.stdout(overview(groups));
    return groupName === undefined ? 2 : 0;
  }
  const group = groups.find((candidate) => candidate.name === groupName);
  if (group === undefined) {
    throw new UsageError(`unknown command "${groupName}"; see --help`);
  }
  const { command, args } = pickCommand(group, afterGroup);
  if (command === undefined) {
    io.stdout(groupHelp(group));
    return args.some(isHelp) ? 0 : 2;
  }
  const parsed = parseArgs({
    args: [...args],
    options: { ...commonOptions, ...command.options },
    allowPositionals: true,
    strict: true,
  });
  if (parsed.values.help === true) {
    io.stdout(commandHelp(group, command));
    return 0;
  }
  checkArguments(group, command, parsed.positionals);
  const context = createContext({
    args: parsed.positionals,
    options: parsed.values,
    env: mergeEnv(env, overrides, parsed.values),
    json: parsed.values.json === true,
    io,
  });
  return (await command.run(context)) ?? 0;
}

function isHelp(word: string): boolean {
  return word === '--help' || word === '-h' || word === 'help';
}

function pickCommand(
  group: CommandGroup,
  words: readonly string[],
): { command: Command | undefined; args: readonly string[] } {
  const only = group.commands[0];
  if (group.commands.length === 1 && only?.name === undefined) {
    return { command: only, args: words };
  }
  const [name, ...args] = words;
  if (name === undefined || isHelp(name)) {
    return { command: undefined, args: words };
  }
  const command = group.commands.find((candidate) => candidate.name === name);
  if (command === undefined) {
    throw new UsageError(`unknown command "${group.name} ${name}"; see --help`);
  }
  return { command, args };
}

function checkArguments(
  group: CommandGroup,
  command: Command,
  positionals: readonly string[],
): void {
  const expected = command.arguments ?? [];
  if (positionals.length === expected.length) {
    return;
  }
  throw new UsageError(
    `usage: m2m-registrar ${usage(group, command)}; see --help`,
  );
}

/** Pulls `--M2M_NAME value` and `--M2M_NAME=value` out of `argv`. */
function extractSettingFlags(argv: readonly string[]): {
  rest: string[];
  overrides: Record<string, string>;
} {
  const rest: string[] = [];
  const overrides: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const word = argv[i] ?? '';
    const match = /^--(M2M_[A-Z0-9_]+)(?:=(.*))?$/s.exec(word);
    if (match === null) {
      rest.push(word);
      continue;
    }
    const [, name = '', inline] = match;
    const value = inline ?? argv[i + 1];
    if (value === undefined) {
      throw new UsageError(`--${name} needs a value`);
    }
    overrides[name] = value;
    i += inline === undefined ? 1 : 0;
  }
  return { rest, overrides };
}

function mergeEnv(
  env: Env,
  overrides: Readonly<Record<string, string>>,
  values: Readonly<Record<string, unknown>>,
): Env {
  const merged: Record<string, string | undefined> = { ...env };
  for (const [flag, name] of Object.entries(settingFlags)) {
    const value = values[flag];
    if (typeof value === 'string') {
      merged[name] = value;
    }
  }
  return { ...merged, ...overrides };
}

function report(error: unknown, json: boolean, io: Io): number {
  const usageMistake =
    error instanceof UsageError ||
    error instanceof SettingError ||
    isParseArgsError(error);
  const known =
    usageMistake ||
    error instanceof CommandFailedError ||
    error instanceof OneM2mError;
  const message = known ? (error as Error).message : 'unexpected failure';
  io.stderr(
    json
      ? `${JSON.stringify({ error: message })}\n`
      : `m2m-registrar: ${message}\n`,
  );
  if (!known) {
    io.stderr(`${error instanceof Error ? error.stack : String(error)}\n`);
  }
  return usageMistake ? 2 : 1;
}

/** An unknown option or a missing option value, from `parseArgs`. */
function isParseArgsError(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    'code' in error &&
    String(error.code).startsWith('ERR_PARSE_ARGS')
  );
}

function usage(group: CommandGroup, command: Command): string {
  return [group.name, command.name, ...(command.arguments ?? [])]
    .filter((part) => part !== undefined)
    .join(' ');
}

function overview(groups: readonly CommandGroup[]): string {
  const lines = groups.flatMap((group) =>
    group.commands.map((command) => [usage(group, command), command.summary]),
  );
  return [
    'usage: m2m-registrar COMMAND [--json] [--M2M_SETTING value ...]',
    '',
    ...lines.map(([left = '', right = '']) => `  ${left.padEnd(30)}${right}`),
    '',
    `Setting flags: --M2M_<NAME> VALUE, or ${Object.keys(settingFlags)
      .map((flag) => `--${flag}`)
      .join(', ')}.`,
    '',
  ].join('\n');
}

function groupHelp(group: CommandGroup): string {
  return overview([group]).replace('COMMAND', `${group.name} COMMAND`);
}

function commandHelp(group: CommandGroup, command: Command): string {
  const options = Object.entries(command.options ?? {}).map(
    ([name, option]) =>
      `  --${name}${option.type === 'string' ? ' VALUE' : ''}`,
  );
  return [
    `usage: m2m-registrar ${usage(group, command)} [--json]`,
    '',
    command.summary,
    ...(options.length > 0 ? ['', 'Options:', ...options] : []),
    ...(command.details === undefined ? [] : ['', command.details]),
    '',
  ].join('\n');
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
