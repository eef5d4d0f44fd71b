/**
 * `m2m:timestamp` values: ISO 8601 basic format in UTC without a zone
 * designator.
 *
 * The registrar always emits the same width, `YYYYMMDDThhmmss,ffffff`, so
 * that clients can compare timestamps as strings. It reads the basic form
 * with or without a fraction (of any length up to six digits).
 */
const pattern = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:,(\d{1,6}))?$/;

/** Formats epoch milliseconds as a fixed-width `m2m:timestamp`. */
export function formatTimestamp(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  const date = iso.slice(0, 10).replaceAll('-', '');
  const time = iso.slice(11, 19).replaceAll(':', '');
  const millis = iso.slice(20, 23);
  return `${date}T${time},${millis}000`;
}

/**
 * Parses an `m2m:timestamp` into epoch milliseconds.
 *
 * @returns `undefined` when `value` is not a valid timestamp (wrong shape,
 *   or a calendar date that does not exist).
 */
export function parseTimestamp(value: string): number | undefined {
  const match = pattern.exec(value);
  if (!match) {
    return undefined;
  }
  const [, y, mo, d, h, mi, s, fraction = ''] = match.map((part) =>
    part === undefined ? '' : part,
  ) as [string, string, string, string, string, string, string, string?];
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const epochMs = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s),
    millis,
  );
  const roundTrip = new Date(epochMs);
  if (
    roundTrip.getUTCFullYear() !== Number(y) ||
    roundTrip.getUTCMonth() !== Number(mo) - 1 ||
    roundTrip.getUTCDate() !== Number(d) ||
    roundTrip.getUTCHours() !== Number(h) ||
    roundTrip.getUTCMinutes() !== Number(mi) ||
    roundTrip.getUTCSeconds() !== Number(s)
  ) {
    return undefined;
  }
  return epochMs;
}
