import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createLocalServer,
  type LocalServer,
} from '#registrar/local/server.ts';
import { MAX_BODY_BYTES } from '#registrar/onem2m/body.ts';
import type { HttpRequest, HttpResponse } from '#registrar/onem2m/message.ts';
import { silentLogger } from '#registrar/ports/logger.ts';

const ok: HttpResponse = {
  status: 200,
  headers: { 'X-M2M-RSC': '2000', 'Content-Type': 'application/json' },
  body: '{"m2m:dbg":"é"}',
};

describe('local server', () => {
  let server: LocalServer | undefined;

  async function start(
    handler: (request: HttpRequest) => Promise<HttpResponse>,
  ): Promise<string> {
    server = createLocalServer({ handler, logger: silentLogger });
    return server.listen(0, '127.0.0.1');
  }

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('hands the handler the raw path, query, lower-case headers and body', async () => {
    const seen: HttpRequest[] = [];
    const url = await start(async (request) => {
      seen.push(request);
      return ok;
    });

    await fetch(`${url}/~/id-in/cse%2Din?rcn=1&x=%20`, {
      method: 'POST',
      headers: { 'X-M2M-Origin': 'Cabc', 'Content-Type': 'application/json' },
      body: '{"a":1}',
    });

    const [request] = seen;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/~/id-in/cse%2Din');
    expect(request?.query).toBe('rcn=1&x=%20');
    expect(request?.headers['x-m2m-origin']).toBe('Cabc');
    expect(new TextDecoder().decode(request?.body)).toBe('{"a":1}');
  });

  it('passes no body when the request has none', async () => {
    const seen: HttpRequest[] = [];
    const url = await start(async (request) => {
      seen.push(request);
      return ok;
    });

    await fetch(`${url}/cse-in`);

    expect(seen[0]?.body).toBeUndefined();
    expect(seen[0]?.query).toBe('');
  });

  it('joins repeated headers with a comma', async () => {
    const seen: HttpRequest[] = [];
    const url = await start(async (request) => {
      seen.push(request);
      return ok;
    });
    const headers = new Headers();
    headers.append('X-M2M-RI', 'a');
    headers.append('X-M2M-RI', 'b');

    await fetch(`${url}/cse-in`, { headers });

    expect(seen[0]?.headers['x-m2m-ri']).toBe('a, b');
  });

  it('writes the handler response with its status, headers and body', async () => {
    const url = await start(async () => ok);

    const response = await fetch(`${url}/cse-in`);

    expect(response.status).toBe(200);
    expect(response.headers.get('x-m2m-rsc')).toBe('2000');
    expect(await response.json()).toEqual({ 'm2m:dbg': 'é' });
  });

  it('sends a response without a body with a zero Content-Length', async () => {
    const url = await start(async () => ({
      status: 200,
      headers: { 'X-M2M-RSC': '2002' },
      body: undefined,
    }));

    const response = await fetch(`${url}/cse-in/x`, { method: 'DELETE' });

    expect(response.headers.get('content-length')).toBe('0');
    expect(response.headers.get('transfer-encoding')).toBeNull();
  });

  it('reads an oversized body only up to one byte past the limit', async () => {
    const sizes: (number | undefined)[] = [];
    const url = await start(async (request) => {
      sizes.push(request.body?.length);
      return { ...ok, status: 400, headers: { 'X-M2M-RSC': '4000' } };
    });

    const response = await fetch(`${url}/cse-in`, {
      method: 'POST',
      body: new Uint8Array(3 * 1024 * 1024),
    });

    expect(response.status).toBe(400);
    expect(sizes).toEqual([MAX_BODY_BYTES + 1]);
  });

  it('answers 5000 without details when the handler throws', async () => {
    const url = await start(async () => {
      throw new Error('secret detail');
    });

    const response = await fetch(`${url}/cse-in`);

    expect(response.status).toBe(500);
    expect(response.headers.get('x-m2m-rsc')).toBe('5000');
    expect(await response.text()).not.toContain('secret');
  });

  it('keeps serving after a client aborts mid-body', async () => {
    const url = await start(async () => ok);
    const { port } = new URL(url);
    await new Promise<void>((done) => {
      const aborted = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/cse-in',
        headers: { 'Content-Length': '1000' },
      });
      aborted.on('error', () => done());
      aborted.write('{"partial":');
      setTimeout(() => {
        aborted.destroy();
        done();
      }, 50);
    });

    const response = await fetch(`${url}/cse-in`);

    expect(response.status).toBe(200);
  });

  it('waits for a request in flight when it closes', async () => {
    let release: () => void = () => undefined;
    const url = await start(
      () =>
        new Promise<HttpResponse>((resolve) => {
          release = () => resolve(ok);
        }),
    );
    const pending = fetch(`${url}/cse-in`);
    await new Promise((done) => setTimeout(done, 50));

    const closing = server?.close();
    release();

    expect((await pending).status).toBe(200);
    await closing;
    server = undefined;
  });
});
