import { afterEach, describe, expect, it } from 'vitest';
import { AeClient, NotRegisteredError } from '#registrar/client/ae-client.ts';
import {
  RegistrarRejectedError,
  TransportError,
} from '#registrar/client/errors.ts';
import {
  inspectSignature,
  verifyMac,
} from '#registrar/security/signature-verifier.ts';
import {
  type CannedAnswer,
  type FakeRegistrar,
  oneM2mAnswer,
  type ReceivedRequest,
  startFakeRegistrar,
} from './fake-registrar.ts';

const km = new Uint8Array(32).fill(1);
const ks = new Uint8Array(32).fill(2);
const enrollment = { keyid: 'enr:demo:1', key: km };
const created = {
  'm2m:ae': {
    rn: 'lightApp',
    ri: 'Cx7k2',
    aei: 'Cx7k2',
    et: '20300101T000000',
    api: 'Nlight',
  },
  'm2m-registrar:cred': {
    kid: 'reg:Cx7k2:0',
    key: Buffer.from(ks).toString('base64url'),
    alg: 'hmac-sha256',
    et: '20300101T000000',
    ttl: 3600,
  },
};
const identity = {
  aei: 'Cx7k2',
  rn: 'lightApp',
  et: '20300101T000000',
  credential: { keyid: 'reg:Cx7k2:0', key: ks },
};

let fake: FakeRegistrar | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function serve(answer: (request: ReceivedRequest) => CannedAnswer) {
  fake = await startFakeRegistrar(answer);
  return fake;
}

function verifiedKeyid(request: ReceivedRequest, key: Uint8Array): string {
  const inspected = inspectSignature(request, {
    now: Date.now(),
    clockSkewS: 300,
  });
  verifyMac(inspected, key);
  return inspected.parameters.keyid;
}

describe('AeClient', () => {
  it('registers with a Create signed by the master credential', async () => {
    const server = await serve(() => oneM2mAnswer(201, 2001, created));
    const client = new AeClient({ baseUrl: server.url });

    await client.register(
      { rn: 'lightApp', api: 'Nlight', rr: false, srv: ['4'] },
      { enrollment, originator: 'C' },
    );

    const [request] = server.received;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/cse-in');
    expect(request?.headers['content-type']).toBe('application/json;ty=2');
    expect(request?.headers['x-m2m-origin']).toBe('C');
    expect(request && verifiedKeyid(request, km)).toBe('enr:demo:1');
  });

  it('keeps the AE-ID and the registration secret it is given', async () => {
    const server = await serve(() => oneM2mAnswer(201, 2001, created));
    const client = new AeClient({ baseUrl: server.url });

    await client.register({ api: 'Nlight' }, { enrollment });

    expect(client.identity).toEqual(identity);
  });

  it('signs later requests with the secret, from its AE-ID', async () => {
    const server = await serve(() =>
      oneM2mAnswer(200, 2000, { 'm2m:ae': created['m2m:ae'] }),
    );
    const client = new AeClient({ baseUrl: server.url, identity });

    const result = await client.retrieve();

    const [request] = server.received;
    expect(result.ae.aei).toBe('Cx7k2');
    expect(request?.path).toBe('/cse-in/lightApp');
    expect(request?.headers['x-m2m-origin']).toBe('Cx7k2');
    expect(request && verifiedKeyid(request, ks)).toBe('reg:Cx7k2:0');
  });

  it('sends an update as PUT with the changes and keeps the new et', async () => {
    const updated = { ...created['m2m:ae'], et: '20310101T000000' };
    const server = await serve(() =>
      oneM2mAnswer(200, 2004, { 'm2m:ae': updated }),
    );
    const client = new AeClient({ baseUrl: server.url, identity });

    await client.update({ lbl: ['kitchen'] });

    const [request] = server.received;
    expect(request?.method).toBe('PUT');
    expect(JSON.parse(Buffer.from(request?.body ?? []).toString())).toEqual({
      'm2m:ae': { lbl: ['kitchen'] },
    });
    expect(client.identity?.et).toBe('20310101T000000');
  });

  it('rotates with a signed POST and signs with the new secret after', async () => {
    const next = new Uint8Array(32).fill(3);
    const server = await serve((request) =>
      request.method === 'POST'
        ? oneM2mAnswer(200, 2004, {
            'm2m-registrar:cred': {
              ...created['m2m-registrar:cred'],
              kid: 'reg:Cx7k2:1',
              key: Buffer.from(next).toString('base64url'),
            },
          })
        : oneM2mAnswer(200, 2000, {}),
    );
    const client = new AeClient({ baseUrl: server.url, identity });

    await client.rotate();
    await client.retrieve();

    const [rotation, retrieve] = server.received;
    expect(rotation?.path).toBe('/.well-known/m2m-registrar/rotate');
    expect(rotation?.headers['content-type']).toBeUndefined();
    expect(rotation?.headers['x-m2m-origin']).toBe('Cx7k2');
    expect(rotation && verifiedKeyid(rotation, ks)).toBe('reg:Cx7k2:0');
    expect(retrieve && verifiedKeyid(retrieve, next)).toBe('reg:Cx7k2:1');
  });

  it('forgets the registration once deleted', async () => {
    const server = await serve(() => oneM2mAnswer(200, 2002));
    const client = new AeClient({ baseUrl: server.url, identity });

    await client.delete();

    expect(server.received[0]?.method).toBe('DELETE');
    expect(client.identity).toBeUndefined();
    await expect(client.retrieve()).rejects.toBeInstanceOf(NotRegisteredError);
  });

  it('gives each request its own X-M2M-RI', async () => {
    const server = await serve(() => oneM2mAnswer(200, 2000, {}));
    const client = new AeClient({ baseUrl: server.url, identity });

    await client.retrieve();
    await client.retrieve();

    const [first, second] = server.received;
    expect(first?.headers['x-m2m-ri']).toBeTruthy();
    expect(first?.headers['x-m2m-ri']).not.toBe(second?.headers['x-m2m-ri']);
  });

  it('throws the registrar rsc and m2m:dbg on an error answer', async () => {
    const server = await serve(() =>
      oneM2mAnswer(403, 4106, { 'm2m:dbg': 'bad-signature' }),
    );
    const client = new AeClient({ baseUrl: server.url, identity });

    const error = await client.retrieve().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(RegistrarRejectedError);
    expect(error).toMatchObject({
      rsc: 4106,
      status: 403,
      dbg: 'bad-signature',
    });
  });

  it.each([
    [
      'a redirect',
      { status: 307, headers: { Location: 'http://127.0.0.1:1/' } },
      /redirect/,
    ],
    ['an answer without X-M2M-RSC', { status: 200, body: '{}' }, /X-M2M-RSC/],
    [
      'a body that is not JSON',
      { status: 200, headers: { 'X-M2M-RSC': '2000' }, body: '<html>' },
      /not JSON/,
    ],
  ])('throws a TransportError on %s', async (_, answer, message) => {
    const server = await serve(() => answer);
    const client = new AeClient({ baseUrl: server.url, identity });

    const error = await client.retrieve().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toMatch(message);
    expect(server.received).toHaveLength(1);
  });

  it('names the cause when the connection is refused', async () => {
    const server = await serve(() => oneM2mAnswer(200, 2000));
    const url = server.url;
    await server.close();
    fake = undefined;
    const client = new AeClient({ baseUrl: url, identity });

    await expect(client.retrieve()).rejects.toThrow(
      /could not be sent \(ECONNREFUSED\)/,
    );
  });

  it('gives up when no answer comes in time', async () => {
    const server = await serve(() => ({
      ...oneM2mAnswer(200, 2000),
      delayMs: 500,
    }));
    const client = new AeClient({
      baseUrl: server.url,
      identity,
      timeoutMs: 50,
    });

    await expect(client.retrieve()).rejects.toThrow(/no answer within 50 ms/);
  });
});
