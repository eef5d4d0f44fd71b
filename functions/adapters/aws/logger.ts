import type { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Logger } from '#registrar/ports/logger.ts';

/**
 * The {@link Logger} port over the Powertools logger.
 *
 * A child keeps writing through the same Powertools instance, adding its
 * fields to each line, so the Lambda context that the middleware puts on
 * that instance (request id, cold start) appears on the child's lines too,
 * even for a child made before the invocation began.
 */
export class PowertoolsLoggerAdapter implements Logger {
  readonly #logger: PowertoolsLogger;
  readonly #fields: Readonly<Record<string, unknown>>;

  /** Writes to `logger`, adding `fields` to every line. */
  public constructor(
    logger: PowertoolsLogger,
    fields: Readonly<Record<string, unknown>> = {},
  ) {
    this.#logger = logger;
    this.#fields = fields;
  }

  /** @inheritdoc */
  public debug(message: string, fields?: Record<string, unknown>): void {
    this.#logger.debug(message, this.#merge(fields));
  }

  /** @inheritdoc */
  public info(message: string, fields?: Record<string, unknown>): void {
    this.#logger.info(message, this.#merge(fields));
  }

  /** @inheritdoc */
  public warn(message: string, fields?: Record<string, unknown>): void {
    this.#logger.warn(message, this.#merge(fields));
  }

  /** @inheritdoc */
  public error(message: string, fields?: Record<string, unknown>): void {
    this.#logger.error(message, this.#merge(fields));
  }

  /** @inheritdoc */
  public child(fields: Record<string, unknown>): Logger {
    return new PowertoolsLoggerAdapter(this.#logger, {
      ...this.#fields,
      ...fields,
    });
  }

  #merge(fields: Record<string, unknown> | undefined): Record<string, unknown> {
    return { ...this.#fields, ...fields };
  }
}
