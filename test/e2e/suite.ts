import { beforeAll, describe, expect, it } from 'vitest';
import { OneM2mClient, type RequestSigner } from './client.ts';

/** Where and how the suite reaches a running registrar. */
export interface EndToEndTarget {
  /** The registrar's base URL; read when the first test runs. */
  readonly baseUrl: () => string;
  /** The CSE identity the registrar was started with. */
  readonly cse: { cseId: string; cseRn: string; spId: string };
  /** Signs requests; absent while the registrar runs open. */
  readonly signer?: RequestSigner;
  /** How long an expired AE may take to be de-registered by its timer. */
  readonly expiryTimeoutMs: number;
  /**
   * Whether the stored registration record of `aei` still exists, read
   * below the registrar (the table itself): proves that the timer, not a
   * read-time check, de-registered it. Left out where the store is not
   * reachable from the test.
   */
  readonly recordExists?: (aei: string) => Promise<boolean>;
}

/** A `m2m:timestamp` `seconds` from now. */
function timestampIn(seconds: number): string {
  const at = new Date(Date.now() + seconds * 1000);
  return at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, '');
}

function aeBody(rn: string, extra: Record<string, unknown> = {}) {
  return {
    'm2m:ae': { rn, api: 'Ne2e.test', rr: false, srv: ['4'], ...extra },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

let names = 0;

/** A resource name unique to this run. */
function uniqueName(prefix: string): string {
  names += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${names}`;
}

/**
 * The end-to-end suite: the registrar over HTTP, black box.
 *
 * The same suite runs against the embedded server (`npm test`) and the
 * stack deployed on an emulator (`npm run test:e2e`).
 */
export function defineEndToEndSuite(target: EndToEndTarget): void {
  const client = new OneM2mClient(target.baseUrl, target.signer);
  const { cseId, cseRn, spId } = target.cse;
  const cseRi = cseId.slice(1);

  async function register(rn: string, extra: Record<string, unknown> = {}) {
    const response = await client.send({
      method: 'POST',
      path: `/${cseRn}`,
      origin: 'C',
      ty: 2,
      body: aeBody(rn, extra),
    });
    expect(response.rsc).toBe(2001);
    return response.body['m2m:ae'].aei as string;
  }

  describe('end to end', () => {
    it('returns the CSEBase', async () => {
      const response = await client.send({
        method: 'GET',
        path: `/${cseRn}`,
        origin: 'CAdmin',
      });

      expect(response.status).toBe(200);
      expect(response.rsc).toBe(2000);
      expect(response.body['m2m:cb']).toMatchObject({
        rn: cseRn,
        ri: cseRi,
        ty: 5,
        csi: cseId,
      });
    });

    it('registers an AE and answers 2001 with its aei and et', async () => {
      const rn = uniqueName('reg');

      const response = await client.send({
        method: 'POST',
        path: `/${cseRn}`,
        origin: 'C',
        ty: 2,
        body: aeBody(rn),
      });

      expect(response.status).toBe(201);
      expect(response.rsc).toBe(2001);
      expect(response.headers.get('x-m2m-ri')).toBeTruthy();
      expect(response.body['m2m:ae']).toMatchObject({
        rn,
        ty: 2,
        pi: cseRi,
        aei: expect.stringMatching(/^C/),
        et: expect.stringMatching(/^\d{8}T\d{6}/),
      });
    });

    describe('reaches a registered AE by every path form', () => {
      let rn = '';
      let aei = '';

      beforeAll(async () => {
        rn = uniqueName('paths');
        aei = await register(rn);
      });

      it.each([
        ['CSE-relative by name', () => `/${cseRn}/${rn}`],
        ['CSE-relative by id', () => `/${aei}`],
        ['SP-relative', () => `/~${cseId}/${aei}`],
        ['absolute', () => `/_/${spId}${cseId}/${aei}`],
        ['"-" for the CSEBase name', () => `/-/${rn}`],
      ])('%s', async (_form, path) => {
        const response = await client.send({
          method: 'GET',
          path: path(),
          origin: aei,
        });

        expect(response.rsc).toBe(2000);
        expect(response.body['m2m:ae'].aei).toBe(aei);
      });
    });

    it('refuses another originator with 4103', async () => {
      const rn = uniqueName('other');
      await register(rn);

      const response = await client.send({
        method: 'GET',
        path: `/${cseRn}/${rn}`,
        origin: 'Csomebody-else',
      });

      expect(response.status).toBe(403);
      expect(response.rsc).toBe(4103);
      expect(response.body['m2m:dbg']).toEqual(expect.any(String));
    });

    it('refuses a second registration of the same stem with 4117', async () => {
      const aei = await register(uniqueName('twice'));

      const response = await client.send({
        method: 'POST',
        path: `/${cseRn}`,
        origin: aei,
        ty: 2,
        body: aeBody(uniqueName('twice')),
      });

      expect(response.rsc).toBe(4117);
    });

    it('updates, then deletes an AE, which is gone afterwards', async () => {
      const rn = uniqueName('life');
      const aei = await register(rn);

      const updated = await client.send({
        method: 'PUT',
        path: `/${cseRn}/${rn}`,
        origin: aei,
        body: { 'm2m:ae': { lbl: ['kitchen'] } },
      });
      const deleted = await client.send({
        method: 'DELETE',
        path: `/${cseRn}/${rn}`,
        origin: aei,
      });
      const retrieved = await client.send({
        method: 'GET',
        path: `/${cseRn}/${rn}`,
        origin: aei,
      });

      expect(updated.rsc).toBe(2004);
      expect(updated.body['m2m:ae'].lbl).toEqual(['kitchen']);
      expect(deleted.rsc).toBe(2002);
      expect(retrieved.rsc).toBe(4004);
    });

    it(
      'de-registers an AE when its expiry timer fires',
      async () => {
        const rn = uniqueName('expiry');
        const aei = await register(rn, { et: timestampIn(3) });

        const deadline = Date.now() + target.expiryTimeoutMs;
        let gone = false;
        while (!gone && Date.now() < deadline) {
          await sleep(1000);
          gone = target.recordExists
            ? !(await target.recordExists(aei))
            : (
                await client.send({
                  method: 'GET',
                  path: `/${cseRn}/${rn}`,
                  origin: aei,
                })
              ).rsc === 4004;
        }
        const again = await client.send({
          method: 'POST',
          path: `/${cseRn}`,
          origin: aei,
          ty: 2,
          body: aeBody(rn),
        });

        expect(gone).toBe(true);
        expect(again.rsc).toBe(2001);
        expect(again.body['m2m:ae'].aei).toBe(aei);
      },
      target.expiryTimeoutMs + 10_000,
    );
  });
}
