/**
 * The oneM2M operations the HTTP binding carries (TS-0009).
 *
 * A POST is a Create when its `Content-Type` carries `ty`, a Notify
 * otherwise; the other methods map one to one.
 */
export type Operation = 'create' | 'retrieve' | 'update' | 'delete' | 'notify';

const operationByMethod: Readonly<Record<string, Operation>> = {
  GET: 'retrieve',
  PUT: 'update',
  DELETE: 'delete',
};

/**
 * The operation of an HTTP method, `undefined` when the method carries none.
 *
 * @param hasResourceType whether `Content-Type` carries a `ty` parameter.
 */
export function operationOf(
  method: string,
  hasResourceType: boolean,
): Operation | undefined {
  if (method === 'POST') {
    return hasResourceType ? 'create' : 'notify';
  }
  return Object.hasOwn(operationByMethod, method)
    ? operationByMethod[method]
    : undefined;
}
