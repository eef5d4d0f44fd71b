import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  readStackVariables,
  StackLookupError,
} from '#registrar/adapters/aws/stack-outputs.ts';

const cloudFormation = mockClient(CloudFormationClient);
const client = new CloudFormationClient({ region: 'eu-west-1' });

const outputs = [
  { OutputKey: 'ApiUrl', OutputValue: 'https://abc.execute-api.aws' },
  { OutputKey: 'TableName', OutputValue: 'M2mRegistrar-Table-1X' },
  {
    OutputKey: 'EnrollmentKeyAlias',
    OutputValue: 'alias/M2mRegistrar/enrollment-root',
  },
  {
    OutputKey: 'RegistrationKeyAlias',
    OutputValue: 'alias/M2mRegistrar/registration-root',
  },
  { OutputKey: 'ScheduleGroupName', OutputValue: 'M2mRegistrar-expiry' },
];

function stackWith(shown: typeof outputs) {
  return {
    Stacks: [
      {
        StackName: 'M2mRegistrar',
        StackStatus: 'CREATE_COMPLETE' as const,
        CreationTime: new Date(),
        Outputs: shown,
      },
    ],
  };
}

/** What CloudFormation's query protocol answers for a bad request. */
function validationError(message: string) {
  return new CloudFormationServiceException({
    name: 'ValidationError',
    $fault: 'client',
    $metadata: {},
    message,
  });
}

describe('readStackVariables', () => {
  beforeEach(() => cloudFormation.reset());

  it('turns the stack outputs into the variables the adapters read', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves(stackWith(outputs));

    const variables = await readStackVariables(client, 'M2mRegistrar');

    expect(variables).toEqual({
      M2M_TABLE_NAME: 'M2mRegistrar-Table-1X',
      M2M_ENROLLMENT_KEY_ID: 'alias/M2mRegistrar/enrollment-root',
      M2M_REGISTRATION_KEY_ID: 'alias/M2mRegistrar/registration-root',
      M2M_SCHEDULE_GROUP: 'M2mRegistrar-expiry',
    });
    expect(cloudFormation.commandCalls(DescribeStacksCommand)).toHaveLength(1);
    expect(
      cloudFormation.commandCalls(DescribeStacksCommand)[0]?.args[0].input,
    ).toEqual({ StackName: 'M2mRegistrar' });
  });

  it('names the stack when CloudFormation does not know it', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(validationError('Stack with id Nope does not exist'));

    const lookup = readStackVariables(client, 'Nope');

    await expect(lookup).rejects.toBeInstanceOf(StackLookupError);
    await expect(lookup).rejects.toThrow('no stack Nope');
  });

  it('passes on a validation error that is not about a missing stack', async () => {
    const message = "1 validation error detected: Value 'b@d' at 'stackName'";
    cloudFormation.on(DescribeStacksCommand).rejects(validationError(message));

    const lookup = readStackVariables(client, 'b@d');

    await expect(lookup).rejects.toThrow(message);
    await expect(lookup).rejects.not.toBeInstanceOf(StackLookupError);
  });

  it.each([
    ['TableName'],
    ['EnrollmentKeyAlias'],
    ['RegistrationKeyAlias'],
    ['ScheduleGroupName'],
  ])('names the output %s when the stack lacks it', async (missing) => {
    cloudFormation
      .on(DescribeStacksCommand)
      .resolves(
        stackWith(outputs.filter((output) => output.OutputKey !== missing)),
      );

    const lookup = readStackVariables(client, 'M2mRegistrar');

    await expect(lookup).rejects.toThrow(
      `stack M2mRegistrar has no output ${missing}`,
    );
  });

  it('passes other failures on as they are', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(new Error('ExpiredTokenException'));

    const lookup = readStackVariables(client, 'M2mRegistrar');

    await expect(lookup).rejects.toThrow('ExpiredTokenException');
    await expect(lookup).rejects.not.toBeInstanceOf(StackLookupError);
  });
});
