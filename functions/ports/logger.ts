/**
 * The structured logger the procedure writes to.
 *
 * Messages are constant strings; data goes in `fields`. Secrets and `poa`
 * values never go in either. The Lambda adapter is the Powertools logger,
 * the local one writes JSON lines to stderr.
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every line. */
  child(fields: Record<string, unknown>): Logger;
}

/** A logger that drops everything, for tests that do not read logs. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
