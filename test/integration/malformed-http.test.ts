import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '#registrar/local/runtime.ts';
import {
  register,
  removeDataDir,
  startRegistrar,
  temporaryDataDir,
} from './support/registrar.ts';

/** One HTTP response read off a raw connection. */
interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What a raw connection received before the server closed it. */
interface Exchange {
  readonly responses: readonly RawResponse[];
  /** Whether the server closed the connection (rather than a time-out). */
  readonly closed: boolean;
}

/**
 * Sends `text` on a new connection to `url` and reads until the server
 * closes it, or `waitMs` passes.
 */
function exchange(url: string, text: string, waitMs = 5000): Promise<Exchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ responses: parseResponses(Buffer.concat(chunks)), closed });
    };
    const timer = setTimeout(() => done(false), waitMs);
    socket.on('connect', () => socket.write(text));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => done(true));
    socket.on('end', () => done(true));
  });
}

function parseResponses(data: Buffer): RawResponse[] {
  const responses: RawResponse[] = [];
  let rest = data.toString('latin1');
  while (rest.startsWith('HTTP/1.1 ')) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) {
      break;
    }
    const [statusLine = '', ...lines] = rest.slice(0, end).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line
        .slice(colon + 1)
        .trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    const body = rest.slice(end + 4, end + 4 + length);
    responses.push({ status: Number(statusLine.split(' ')[1]), headers, body });
    rest = rest.slice(end + 4 + length);
  }
  return responses;
}

function request(lines: readonly string[], body = ''): string {
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

const usualHeaders = [
  'Host: 127.0.0.1',
  'X-M2M-Origin: Cany',
  'X-M2M-RI: raw-1',
  'X-M2M-RVI: 4',
];

describe('malformed HTTP requests on the local server', () => {
  let dataDir: string;
  let runtime: LocalRuntime;

  beforeAll(async () => {
    dataDir = temporaryDataDir();
    runtime = await startRegistrar(dataDir);
  });

  afterAll(async () => {
    await runtime.stop();
    removeDataDir(dataDir);
  });

  it('answers a 20,000-character path with 431, 4000 and m2m:dbg, then closes', async () => {
    const path = `/cse-in/${'a'.repeat(20_000)}`;

    const { responses, closed } = await exchange(
      runtime.url,
      request([`GET ${path} HTTP/1.1`, ...usualHeaders]),
    );

    const [response] = responses;
    expect(responses).toHaveLength(1);
    expect(response?.status).toBe(431);
    expect(response?.headers).toMatchObject({
      'x-m2m-rsc': '4000',
      'content-type': 'application/json',
      connection: 'close',
    });
    expect(JSON.parse(response?.body ?? '')).toEqual({
      'm2m:dbg': expect.stringMatching(/request headers too large/),
    });
    expect(closed).toBe(true);
  });

  it.each([
    ['a control character in a header value', ['X-Note: a\x01b']],
    ['a header name with a space', ['Bad Name: x']],
  ])(
    'answers %s with 400, 4000 and m2m:dbg, then closes',
    async (_case, extra) => {
      const { responses, closed } = await exchange(
        runtime.url,
        request(['GET /cse-in HTTP/1.1', ...usualHeaders, ...extra]),
      );

      const [response] = responses;
      expect(responses).toHaveLength(1);
      expect(response?.status).toBe(400);
      expect(response?.headers).toMatchObject({
        'x-m2m-rsc': '4000',
        'content-type': 'application/json',
        connection: 'close',
      });
      expect(JSON.parse(response?.body ?? '')).toEqual({
        'm2m:dbg': expect.stringMatching(/malformed HTTP request/),
      });
      expect(closed).toBe(true);
    },
  );

  it('finishes the answer to a keep-alive DELETE whose body had no Content-Length, then closes', async () => {
    const created = await register(runtime.url, {}, 'Craw-delete');
    expect(created.rsc).toBe(2001);

    const { responses, closed } = await exchange(
      runtime.url,
      request(
        [
          'DELETE /cse-in/lightApp HTTP/1.1',
          'Host: 127.0.0.1',
          'Connection: keep-alive',
          'X-M2M-Origin: Craw-delete',
          'X-M2M-RI: raw-delete',
          'X-M2M-RVI: 4',
        ],
        '{}',
      ),
    );

    const [response] = responses;
    expect(response?.status).toBe(200);
    expect(response?.headers['x-m2m-rsc']).toBe('2002');
    expect(response?.headers.connection).toBe('close');
    expect(closed).toBe(true);
    expect(await runtime.store.list()).toEqual([]);
  });
});
