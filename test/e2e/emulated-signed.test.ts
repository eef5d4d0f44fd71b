import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { AeClient, RegistrarRejectedError } from '#registrar/client/index.ts';
import type { Credential } from '#registrar/client/request.ts';
import { loopbackEndpoint, required } from './environment.ts';
import { hostStyleFetch } from './host-style-fetch.ts';

/*
 * The signed registrar on the emulated stack (scripts/e2e.sh deploys a
 * second stack with M2M_SECURITY=signed): the operator enrolls with the
 * command line pointed at the stack (`--stack`), an AE registers with the
 * master credential and signs everything after with the secret it is
 * issued, and the operator lists and revokes registrations.
 *
 * The API is addressed host-style (`<api-id>.execute-api.localhost`),
 * because the signature covers `@path`, which the path-style address
 * would prefix; requests go to the emulator with that Host header.
 */
const endpoint = loopbackEndpoint();
const apiHost = required('M2M_E2E_SIGNED_API_HOST');
const stack = required('M2M_E2E_SIGNED_STACK');
const command = fileURLToPath(
  new URL('../../bin/m2m-registrar', import.meta.url),
);

/**
 * Runs `m2m-registrar ARGS --stack <signed stack> --json` as a process,
 * with this environment (AWS_ENDPOINT_URL, dummy credentials, region),
 * and returns its parsed output.
 */
async function operator(...args: string[]): Promise<unknown> {
  const { stdout } = await promisify(execFile)(
    command,
    [...args, '--stack', stack, '--json'],
    { env: { ...process.env, AWS_ENDPOINT_URL: endpoint }, timeout: 30_000 },
  );
  return JSON.parse(stdout);
}

function client(): AeClient {
  return new AeClient({
    baseUrl: `http://${apiHost}`,
    fetch: hostStyleFetch(endpoint, apiHost),
    timeoutMs: 30_000,
  });
}

const attributes = { api: 'Ne2e.signed', rr: false, srv: ['4'] };

describe('signed registrar on the emulated stack', () => {
  let master: Credential;

  beforeAll(async () => {
    const id = `e2e-${Date.now().toString(36)}`;
    const created = (await operator(
      'enrollment',
      'create',
      '--id',
      id,
      '--default-lifetime',
      '10m',
      '--max-lifetime',
      '1h',
    )) as { enrollment: { keyid: string }; masterCredential: string };
    master = {
      keyid: created.enrollment.keyid,
      key: new Uint8Array(Buffer.from(created.masterCredential, 'base64url')),
    };
  });

  it('registers with the master credential and is issued a secret', async () => {
    const ae = client();

    const { ae: created, response } = await ae.register(
      { rn: `signed-${Date.now().toString(36)}`, ...attributes },
      { enrollment: master },
    );

    expect(response.rsc).toBe(2001);
    expect(created.aei).toEqual(expect.stringMatching(/^C/));
    expect(ae.identity?.credential?.keyid).toMatch(/^reg:/);
    expect(ae.identity?.credential?.key).toHaveLength(32);
  });

  it('retrieves, updates and deletes with requests signed by that secret', async () => {
    const ae = client();
    await ae.register(
      { rn: `life-${Date.now().toString(36)}`, ...attributes },
      { enrollment: master },
    );

    const retrieved = await ae.retrieve();
    const updated = await ae.update({ lbl: ['signed'] });
    const deleted = await ae.delete();

    expect(retrieved.response.rsc).toBe(2000);
    expect(updated.ae.lbl).toEqual(['signed']);
    expect(deleted.rsc).toBe(2002);
  });

  it('lets the operator list and revoke a registration with the command line', async () => {
    const ae = client();
    await ae.register(
      { rn: `revoked-${Date.now().toString(36)}`, ...attributes },
      { enrollment: master },
    );
    const aei = ae.identity?.aei ?? '';
    expect(aei).toMatch(/^C/);

    const listed = await operator('registration', 'list', '--limit', '1000');
    const revoked = await operator('registration', 'revoke', aei);
    const shown = await operator('registration', 'show', aei).catch(
      (error: { code?: number }) => ({ exitCode: error.code }),
    );
    const audit = await operator('registration', 'audit', aei);
    const retrieve = await ae.retrieve().catch((error: unknown) => error);

    expect(listed).toContainEqual(
      expect.objectContaining({ aei, expired: false }),
    );
    expect(revoked).toEqual({ aei, revoked: true });
    expect(shown).toEqual({ exitCode: 1 });
    expect(audit).toEqual([
      expect.objectContaining({ action: 'registered' }),
      expect.objectContaining({ action: 'revoked', actor: 'operator' }),
    ]);
    expect(retrieve).toBeInstanceOf(RegistrarRejectedError);
  });

  // Last: a failed signature slows the enrollment down for a while.
  it('refuses a registration signed with a wrong key with 4106', async () => {
    const forged = { keyid: master.keyid, key: new Uint8Array(32) };

    const attempt = client().register(
      { rn: `forged-${Date.now().toString(36)}`, ...attributes },
      { enrollment: forged },
    );

    await expect(attempt).rejects.toBeInstanceOf(RegistrarRejectedError);
    await expect(attempt).rejects.toMatchObject({ rsc: 4106 });
  });
});
