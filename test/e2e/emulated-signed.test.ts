import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoEnrollmentStore } from '#registrar/adapters/aws/dynamo-enrollments.ts';
import { KmsRootKeys } from '#registrar/adapters/aws/kms-root-keys.ts';
import { AeClient, RegistrarRejectedError } from '#registrar/client/index.ts';
import type { Credential } from '#registrar/client/request.ts';
import { createKeyDerivation } from '#registrar/security/derivation.ts';
import { newEnrollment } from '#registrar/security/enrollments.ts';
import { enrollmentKeyId } from '#registrar/security/keyid.ts';
import { loopbackEndpoint, required } from './environment.ts';
import { hostStyleFetch } from './host-style-fetch.ts';

/*
 * The signed registrar on the emulated stack (scripts/e2e.sh deploys a
 * second stack with M2M_SECURITY=signed): an operator enrolls through the
 * table and the KMS enrollment root, an AE registers with the master
 * credential and signs everything after with the secret it is issued.
 *
 * The API is addressed host-style (`<api-id>.execute-api.localhost`),
 * because the signature covers `@path`, which the path-style address
 * would prefix; requests go to the emulator with that Host header.
 */
const endpoint = loopbackEndpoint();
const apiHost = required('M2M_E2E_SIGNED_API_HOST');
const tableName = required('M2M_E2E_SIGNED_TABLE_NAME');
const enrollmentKey = required('M2M_E2E_SIGNED_ENROLLMENT_KEY');
const registrationKey = required('M2M_E2E_SIGNED_REGISTRATION_KEY');

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
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint }),
    );
    const kms = new KMSClient({ endpoint });
    const enrollment = newEnrollment(
      {
        id: `e2e-${Date.now().toString(36)}`,
        defaultLifetimeS: 600,
        maxLifetimeS: 3600,
      },
      Date.now(),
    );
    await new DynamoEnrollmentStore(documents, tableName).insert(enrollment);
    const derivation = createKeyDerivation(
      new KmsRootKeys(kms, {
        enrollment: enrollmentKey,
        registration: registrationKey,
      }),
    );
    master = {
      keyid: enrollmentKeyId(enrollment.id, enrollment.keyVersion),
      key: await derivation.masterCredential(
        enrollment.id,
        enrollment.keyVersion,
      ),
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
