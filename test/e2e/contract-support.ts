import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateKeyCommand,
  KMSClient,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import {
  CreateScheduleGroupCommand,
  DeleteScheduleGroupCommand,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type AwsClients,
  MAX_ATTEMPTS,
} from '#registrar/adapters/aws/clients.ts';
import type { ScheduleTarget } from '#registrar/adapters/aws/scheduler-timers.ts';
import { createRegistrarTable } from '../contract/index.ts';
import { loopbackEndpoint } from './environment.ts';

/**
 * A target for schedules that are never meant to fire.
 *
 * The timers contract arms timers an hour ahead and checks arming and
 * disarming only, so nothing behind these ARNs has to exist; each group,
 * and every schedule in it, is deleted when its test ends.
 */
export const IDLE_TARGET: ScheduleTarget = {
  targetArn: 'arn:aws:lambda:us-east-1:000000000000:function:m2m-contract',
  roleArn: 'arn:aws:iam::000000000000:role/m2m-contract',
  deadLetterArn: 'arn:aws:sqs:us-east-1:000000000000:m2m-contract',
};

/** The shortest wait KMS allows before it deletes a key, days. */
const KEY_DELETION_DAYS = 7;

/**
 * The adapters' clients aimed at the emulator, and the resources the
 * contract suites create in it, so that they can be removed afterwards.
 *
 * The endpoint is set explicitly from {@link loopbackEndpoint}, never left
 * to the SDK's own reading of the environment, so that a service-specific
 * `AWS_ENDPOINT_URL_<SERVICE>` or a profile cannot send a test elsewhere.
 * Credentials and region come from the environment scripts/e2e.sh sets.
 */
export class EmulatedAccount {
  /** The clients, configured as `createAwsClients()` does plus the endpoint. */
  public readonly clients: AwsClients;
  readonly #dynamo: DynamoDBClient;
  readonly #tables: string[] = [];
  readonly #groups: string[] = [];
  readonly #keys: string[] = [];

  /** Builds the clients; sends nothing. */
  public constructor() {
    const config = {
      endpoint: loopbackEndpoint(),
      maxAttempts: MAX_ATTEMPTS,
      retryMode: 'standard',
    };
    this.#dynamo = new DynamoDBClient(config);
    this.clients = {
      dynamo: DynamoDBDocumentClient.from(this.#dynamo, {
        marshallOptions: { removeUndefinedValues: true },
      }),
      kms: new KMSClient(config),
      scheduler: new SchedulerClient(config),
    };
  }

  /** Creates an empty registrar table and returns its name. */
  public async createTable(): Promise<string> {
    const name = uniqueName();
    this.#tables.push(name);
    await createRegistrarTable(this.#dynamo, name);
    return name;
  }

  /** Creates an empty schedule group and returns its name. */
  public async createScheduleGroup(): Promise<string> {
    const name = uniqueName();
    this.#groups.push(name);
    await this.clients.scheduler.send(
      new CreateScheduleGroupCommand({ Name: name }),
    );
    return name;
  }

  /** Creates a KMS `HMAC_256` key for `GenerateMac` and returns its id. */
  public async createHmacKey(): Promise<string> {
    const { KeyMetadata } = await this.clients.kms.send(
      new CreateKeyCommand({
        KeySpec: 'HMAC_256',
        KeyUsage: 'GENERATE_VERIFY_MAC',
        Description: 'm2m-registrar contract suite',
      }),
    );
    const id = KeyMetadata?.KeyId;
    if (id === undefined) {
      throw new Error('KMS CreateKey returned no key id');
    }
    this.#keys.push(id);
    return id;
  }

  /** Deletes the tables and schedule groups created so far. */
  public async removeTablesAndGroups(): Promise<void> {
    const { scheduler } = this.clients;
    await Promise.all([
      ...this.#tables
        .splice(0)
        .map((name) =>
          this.#dynamo.send(new DeleteTableCommand({ TableName: name })),
        ),
      // Deleting a group deletes the schedules in it.
      ...this.#groups
        .splice(0)
        .map((name) =>
          scheduler.send(new DeleteScheduleGroupCommand({ Name: name })),
        ),
    ]);
  }

  /** Schedules the deletion of the keys created so far, the soonest KMS allows. */
  public async removeKeys(): Promise<void> {
    await Promise.all(
      this.#keys.splice(0).map((id) =>
        this.clients.kms.send(
          new ScheduleKeyDeletionCommand({
            KeyId: id,
            PendingWindowInDays: KEY_DELETION_DAYS,
          }),
        ),
      ),
    );
  }
}

/** A table or group name no other run uses (both allow 64 characters). */
function uniqueName(): string {
  return `m2m-contract-${randomUUID()}`;
}
