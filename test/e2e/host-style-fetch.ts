import { request } from 'node:http';

/**
 * A `fetch` that sends every request to `endpoint` (the emulator on
 * loopback) with `host` as the Host header.
 *
 * The emulator tells APIs apart by host name (`<id>.execute-api.localhost`),
 * which does not resolve here, and Node's `fetch` does not let a caller
 * set Host; so this goes through `node:http`.
 */
export function hostStyleFetch(endpoint: string, host: string): typeof fetch {
  const target = new URL(endpoint);
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const body = await bodyOf(init?.body);
    return new Promise<Response>((resolve, reject) => {
      const outgoing = request(
        {
          host: target.hostname,
          port: target.port,
          method: init?.method ?? 'GET',
          path: url.pathname + url.search,
          headers: { ...headers, host },
          ...(init?.signal ? { signal: init.signal } : {}),
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', reject);
          incoming.on('end', () => {
            const answer = new Headers();
            for (const [name, value] of Object.entries(incoming.headers)) {
              if (value !== undefined) {
                answer.set(
                  name,
                  Array.isArray(value) ? value.join(', ') : value,
                );
              }
            }
            resolve(
              new Response(Buffer.concat(chunks), {
                status: incoming.statusCode ?? 500,
                headers: answer,
              }),
            );
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  };
}

async function bodyOf(body: RequestInit['body']): Promise<Buffer> {
  if (body === undefined || body === null) {
    return Buffer.alloc(0);
  }
  return Buffer.from(await new Response(body).arrayBuffer());
}
