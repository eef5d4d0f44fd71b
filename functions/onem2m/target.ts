import type { CseIdentity } from '#registrar/commons/settings.ts';
import { BadRequestError, NotFoundError } from './errors.ts';

/** What the To of a request designates, before any store lookup. */
export type Target =
  /** The `<CSEBase>` itself. */
  | { readonly kind: 'cse' }
  /** An `<AE>` under the `<CSEBase>`, by resource name. */
  | { readonly kind: 'aeByName'; readonly rn: string }
  /** An `<AE>` by resource id (its AE-ID stem). */
  | { readonly kind: 'aeById'; readonly ri: string };

/**
 * Resolves a raw request path to the resource it addresses.
 *
 * Forms (TS-0009): CSE-relative `/cse-in`, `/cse-in/<rn>`, `/-`, `/-/<rn>`,
 * `/<cseRi>`, `/<aei>`; SP-relative `/~/<cseRi>/...`; absolute
 * `/_/<spId>/<cseRi>/...`, where `...` is any CSE-relative form (or
 * nothing: the `<CSEBase>`). Segments are percent-decoded one by one.
 *
 * **choice**: a path aimed at another CSE or SP, an empty segment (`//`, a
 * trailing `/`) or a path deeper than `<CSEBase>/<AE>` is `4004`: this CSE
 * holds nothing else, and it retargets nothing.
 *
 * @throws {BadRequestError} malformed percent-encoding.
 * @throws {NotFoundError} the path designates nothing this CSE holds.
 */
export function resolveTarget(path: string, cse: CseIdentity): Target {
  if (!path.startsWith('/')) {
    throw new NotFoundError('the path must start with /');
  }
  const segments = path.slice(1).split('/').map(decodeSegment);
  if (segments.includes('')) {
    throw notFound();
  }
  const [first, second, third] = segments;
  if (first === '~') {
    return resolveInCse(segments.slice(2), cse, second === cse.cseRi);
  }
  if (first === '_') {
    const here = second === cse.spId && third === cse.cseRi;
    return resolveInCse(segments.slice(3), cse, here);
  }
  return resolveInCse(segments, cse, true);
}

/** The CSE-relative structured address of the `<AE>` named `rn`. */
export function aeAddress(cse: CseIdentity, rn: string): string {
  return `${cse.cseRn}/${rn}`;
}

function resolveInCse(
  segments: string[],
  cse: CseIdentity,
  here: boolean,
): Target {
  if (!here) {
    throw new NotFoundError('the path addresses another CSE');
  }
  const [first, second, ...deeper] = segments;
  if (first === undefined) {
    return { kind: 'cse' };
  }
  if (deeper.length > 0) {
    throw notFound();
  }
  const isBaseName = first === cse.cseRn || first === '-';
  if (isBaseName) {
    return second === undefined
      ? { kind: 'cse' }
      : { kind: 'aeByName', rn: second };
  }
  if (second !== undefined) {
    throw notFound();
  }
  return first === cse.cseRi ? { kind: 'cse' } : { kind: 'aeById', ri: first };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequestError('malformed percent-encoding in the path');
  }
}

function notFound(): NotFoundError {
  return new NotFoundError('no resource at this path');
}
