import type { Logger } from '#registrar/ports/logger.ts';

/** Log levels, least severe first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const severity: Record<LogLevel, number> = {
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
};

/** Where a line goes; stderr unless a test says otherwise. */
export type LineWriter = (line: string) => void;

const toStderr: LineWriter = (line) => {
  process.stderr.write(line);
};

/**
 * The log level named by `M2M_LOG_LEVEL` (`debug`, `info`, `warn`, `error`).
 *
 * An unknown or absent value gives `info`, so that a typo never silences
 * the log.
 */
export function logLevelFrom(value: string | undefined): LogLevel {
  const level = value?.toLowerCase();
  return level !== undefined && level in severity
    ? (level as LogLevel)
    : 'info';
}

/**
 * The local {@link Logger}: one JSON object per line on stderr, with
 * `time` (ISO 8601), `level`, `message`, then the fields.
 *
 * Fields that JSON cannot hold (an `Error`, a `bigint`) are written as
 * text; a field never replaces `time`, `level` or `message`.
 */
export function createJsonLogger(
  level: LogLevel = 'info',
  write: LineWriter = toStderr,
  base: Record<string, unknown> = {},
): Logger {
  const threshold = severity[level];
  const emit = (
    lineLevel: LogLevel,
    message: string,
    fields?: Record<string, unknown>,
  ) => {
    if (severity[lineLevel] < threshold) {
      return;
    }
    const time = new Date().toISOString();
    const line = { time, level: lineLevel, message, ...base, ...fields };
    // Fields come after the three fixed keys and never overwrite them.
    Object.assign(line, { time, level: lineLevel, message });
    write(`${JSON.stringify(line, jsonSafe)}\n`);
  };
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    child: (fields) => createJsonLogger(level, write, { ...base, ...fields }),
  };
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    return `${value.name}: ${value.message}`;
  }
  return typeof value === 'bigint' ? value.toString() : value;
}
