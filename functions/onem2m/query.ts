import { BadRequestError } from './errors.ts';
import type { Operation } from './operation.ts';

/**
 * `rcn` (result content) values: what a successful response carries.
 *
 * `0` nothing, `1` the resource, `2` its address (`m2m:uri`), `3` both
 * (`m2m:rce`).
 */
export type ResultContent = 0 | 1 | 2 | 3;

/**
 * The `rcn` values each operation accepts, the default first.
 *
 * **choice**: Retrieve serves only `1`: the child-resource variants (`4`,
 * `5`, `6`, `8`) would list other AEs under the `<CSEBase>`, which an AE
 * may not see, and an `<AE>` here has no children. They are refused with
 * `4000` rather than silently answered as `1`.
 */
const allowedResultContent: Readonly<
  Record<Operation, readonly ResultContent[]>
> = {
  create: [1, 0, 2, 3],
  retrieve: [1],
  update: [1, 0],
  delete: [0, 1],
  notify: [0],
};

/** The query parameters this CSE understands. */
export interface RequestQuery {
  readonly resultContent: ResultContent;
}

/**
 * Reads the query string (without `?`) of a request for `operation`.
 *
 * Only `rcn` is understood; any other parameter, a repeated `rcn`, a bad
 * percent-encoding or an `rcn` the operation does not allow is `4000`,
 * since silently ignoring a filter or a response type would answer a
 * different question than the one asked.
 *
 * @throws {BadRequestError}
 */
export function parseQuery(query: string, operation: Operation): RequestQuery {
  const allowed = allowedResultContent[operation];
  const [fallback = 0] = allowed;
  const values = new Map<string, string>();
  for (const pair of query === '' ? [] : query.split('&')) {
    const [name, value] = decodePair(pair);
    if (name !== 'rcn') {
      throw new BadRequestError(`query parameter ${name} is not supported`);
    }
    if (values.has(name)) {
      throw new BadRequestError(`query parameter ${name} is repeated`);
    }
    values.set(name, value);
  }
  const rcn = values.get('rcn');
  if (rcn === undefined) {
    return { resultContent: fallback };
  }
  const resultContent = Number(rcn);
  if (!/^\d$/.test(rcn) || !allowed.includes(resultContent as ResultContent)) {
    throw new BadRequestError(
      `rcn must be one of ${allowed.join(', ')} for this operation`,
    );
  }
  return { resultContent: resultContent as ResultContent };
}

function decodePair(pair: string): [string, string] {
  const separator = pair.indexOf('=');
  const name = separator < 0 ? pair : pair.slice(0, separator);
  const value = separator < 0 ? '' : pair.slice(separator + 1);
  try {
    return [
      decodeURIComponent(name.replaceAll('+', ' ')).slice(0, 40),
      decodeURIComponent(value.replaceAll('+', ' ')),
    ];
  } catch {
    throw new BadRequestError('malformed percent-encoding in the query');
  }
}
