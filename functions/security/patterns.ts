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

/**
 * Why an App-ID pattern can match no App-ID, or `undefined` when it can.
 *
 * An App-ID starts with `N`, `R` or (older releases) `r` (onem2m.md
 * section 3), so a pattern must start with one of those or with `*`.
 */
export function appIdPatternProblem(pattern: string): string | undefined {
  return firstCharacterProblem(pattern, 'App-ID', 'NRr', 'N, R or r');
}

/**
 * Why an originator pattern can match no originator that may register, or
 * `undefined` when it can.
 *
 * A registering originator starts with `C` or `S` (onem2m.md section 4),
 * so a pattern must start with one of those or with `*`.
 */
export function originatorPatternProblem(pattern: string): string | undefined {
  return firstCharacterProblem(pattern, 'originator', 'CS', 'C or S');
}

function firstCharacterProblem(
  pattern: string,
  what: string,
  allowed: string,
  named: string,
): string | undefined {
  const first = pattern.charAt(0);
  if (first === '*' || (first !== '' && allowed.includes(first))) {
    return undefined;
  }
  return (
    `${what} pattern "${pattern}" can never match: an ${what} starts ` +
    `with ${named} (or begin the pattern with *)`
  );
}
