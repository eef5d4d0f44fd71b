/**
 * Enrollment patterns: `*` matches any run of characters (also none),
 * every other character stands for itself. `Csensor-*` matches
 * `Csensor-17`; `*` matches everything.
 */

/** Whether `value` matches `pattern` in full. */
export function matchesPattern(value: string, pattern: string): boolean {
  const parts = pattern.split('*');
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (parts.length === 1) {
    return value === pattern;
  }
  if (!value.startsWith(first) || value.length < first.length + last.length) {
    return false;
  }
  let position = first.length;
  for (const middle of parts.slice(1, -1)) {
    const found = value.indexOf(middle, position);
    if (found < 0 || found + middle.length > value.length - last.length) {
      return false;
    }
    position = found + middle.length;
  }
  return value.endsWith(last);
}

/** Whether `value` matches at least one of `patterns`. */
export function matchesAny(
  value: string,
  patterns: readonly string[],
): boolean {
  return patterns.some((pattern) => matchesPattern(value, pattern));
}
