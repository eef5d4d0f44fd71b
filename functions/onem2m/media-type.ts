/**
 * Parsing of `Content-Type` and `Accept` values (RFC 9110 media types).
 *
 * Only what the binding needs: the lower-case `type/subtype` and the
 * parameters as name/value pairs in order (names lower-case, quotes
 * removed), so that a repeated `ty` can be noticed.
 */

/** A parsed media type such as `application/json;ty=2`. */
export interface MediaType {
  /** `type/subtype` in lower case. */
  readonly essence: string;
  /** Parameters in the order sent. */
  readonly parameters: ReadonlyArray<readonly [string, string]>;
}

/** The media types this CSE reads and writes. */
export const JSON_MEDIA_TYPES: readonly string[] = [
  'application/json',
  'application/vnd.onem2m-res+json',
];

const token = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/** Parses one media type; `undefined` when it is malformed. */
export function parseMediaType(value: string): MediaType | undefined {
  const [head = '', ...rest] = value.split(';');
  const [type, subtype, extra] = head.trim().split('/');
  if (extra !== undefined || !isToken(type) || !isToken(subtype)) {
    return undefined;
  }
  const parameters: Array<readonly [string, string]> = [];
  for (const part of rest) {
    const parameter = parseParameter(part);
    if (parameter === undefined) {
      return undefined;
    }
    parameters.push(parameter);
  }
  return { essence: `${type}/${subtype}`.toLowerCase(), parameters };
}

/** The values of parameter `name` (lower case), in order. */
export function parameterValues(media: MediaType, name: string): string[] {
  return media.parameters.filter(([key]) => key === name).map(([, v]) => v);
}

/**
 * Whether an `Accept` value admits a JSON representation.
 *
 * An absent or empty header accepts anything. A range with `q=0` refuses
 * that range; a malformed range is ignored rather than failing the request.
 */
export function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') {
    return true;
  }
  return accept.split(',').some((range) => {
    const media = parseMediaType(range);
    if (media === undefined || isRefused(media)) {
      return false;
    }
    return (
      media.essence === '*/*' ||
      media.essence === 'application/*' ||
      JSON_MEDIA_TYPES.includes(media.essence)
    );
  });
}

function isRefused(media: MediaType): boolean {
  const [quality] = parameterValues(media, 'q');
  return quality !== undefined && Number(quality) === 0;
}

function isToken(value: string | undefined): value is string {
  return value !== undefined && token.test(value);
}

function parseParameter(part: string): readonly [string, string] | undefined {
  const separator = part.indexOf('=');
  if (separator < 0) {
    return undefined;
  }
  const name = part.slice(0, separator).trim().toLowerCase();
  let value = part.slice(separator + 1).trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    value = value.slice(1, -1);
  }
  return isToken(name) ? [name, value] : undefined;
}
