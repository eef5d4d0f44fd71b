import type { Logger } from '#registrar/ports/logger.ts';

/** One line written to a {@link RecordingLogger}. */
export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** A {@link Logger} that keeps every line, so tests can read the logs. */
export class RecordingLogger implements Logger {
  readonly #lines: LogLine[];
  readonly #fields: Readonly<Record<string, unknown>>;

  public constructor(
    lines: LogLine[] = [],
    fields: Readonly<Record<string, unknown>> = {},
  ) {
    this.#lines = lines;
    this.#fields = fields;
  }

  /** Every line written through this logger or its children. */
  public get lines(): readonly LogLine[] {
    return this.#lines;
  }

  /** @inheritdoc */
  public debug(message: string, fields?: Record<string, unknown>): void {
    this.#write('debug', message, fields);
  }

  /** @inheritdoc */
  public info(message: string, fields?: Record<string, unknown>): void {
    this.#write('info', message, fields);
  }

  /** @inheritdoc */
  public warn(message: string, fields?: Record<string, unknown>): void {
    this.#write('warn', message, fields);
  }

  /** @inheritdoc */
  public error(message: string, fields?: Record<string, unknown>): void {
    this.#write('error', message, fields);
  }

  /** @inheritdoc */
  public child(fields: Record<string, unknown>): Logger {
    return new RecordingLogger(this.#lines, { ...this.#fields, ...fields });
  }

  #write(
    level: LogLine['level'],
    message: string,
    fields: Record<string, unknown> = {},
  ): void {
    this.#lines.push({
      level,
      message,
      fields: { ...this.#fields, ...fields },
    });
  }
}
