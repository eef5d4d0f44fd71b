import type { ParseArgsOptionsConfig } from 'node:util';
import {
  type LocalSettings,
  readLocalSettings,
} from '#registrar/commons/settings.ts';

/** Environment variables, as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Where a command writes: stdout for results, stderr for everything else. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The values of a command's own options, as `node:util` parses them. */
export type OptionValues = Readonly<
  Record<string, string | boolean | (string | boolean)[] | undefined>
>;

/** What a running command gets to work with. */
export interface CommandContext {
  /** The positional arguments after the group and command names. */
  readonly args: readonly string[];
  /** The command's own options. */
  readonly options: OptionValues;
  /** The environment, with setting flags (`--M2M_PORT 8081`) applied. */
  readonly env: Env;
  /** `--json`: results as JSON on stdout, errors as JSON on stderr. */
  readonly json: boolean;
  readonly io: Io;
  /** The settings from {@link env}; throws `SettingError` when malformed. */
  settings(): LocalSettings;
  /**
   * Writes a result: `value` as JSON with `--json`, else `human(value)`.
   */
  print<T>(value: T, human: (value: T) => string): void;
}

/** One command, such as `registration show AEI`. */
export interface Command {
  /**
   * The word after the group name; absent when the group is the command
   * itself (`serve`).
   */
  readonly name?: string;
  /** One line for the help text. */
  readonly summary: string;
  /** Names of the required positional arguments, e.g. `['AEI']`. */
  readonly arguments?: readonly string[];
  /** The command's own options (`--json` and setting flags are common). */
  readonly options?: ParseArgsOptionsConfig;
  /** Extra help after the usage line: what the options mean. */
  readonly details?: string;
  /** Runs the command; the exit code is 0 unless it returns another. */
  run(context: CommandContext): Promise<number | undefined>;
}

/** A group of commands under one word, such as `registration`. */
export interface CommandGroup {
  readonly name: string;
  readonly summary: string;
  readonly commands: readonly Command[];
}

/** A mistake in the command line itself; exits with status 2. */
export class UsageError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A command that could not do its job (an unknown AEI...); exits 1. */
export class CommandFailedError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'CommandFailedError';
  }
}

/** Builds the {@link CommandContext} that `main` hands to a command. */
export function createContext(
  parts: Pick<CommandContext, 'args' | 'options' | 'env' | 'json' | 'io'>,
): CommandContext {
  return {
    ...parts,
    settings: () => readLocalSettings(parts.env),
    print(value, human) {
      const text = parts.json
        ? JSON.stringify(value, null, 2)
        : human(value).replace(/\n$/, '');
      parts.io.stdout(`${text}\n`);
    },
  };
}

/** The value of a string option, or `undefined`. */
export function stringOption(
  options: OptionValues,
  name: string,
): string | undefined {
  const value = options[name];
  return typeof value === 'string' ? value : undefined;
}

/** The value of a whole-number option, or `fallback` when absent. */
export function integerOption(
  options: OptionValues,
  name: string,
  fallback: number,
): number {
  const raw = stringOption(options, name);
  if (raw === undefined) {
    return fallback;
  }
  if (!/^\d+$/.test(raw)) {
    throw new UsageError(`--${name}: expected a whole number, got "${raw}"`);
  }
  return Number(raw);
}

/** Lays out `rows` as left-aligned columns separated by two spaces. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) =>
          i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
