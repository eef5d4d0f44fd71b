import {
  type CloudFormationClient,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';

/**
 * The outputs of a deployed registrar stack (infra/registrar-stack.ts)
 * that locate its data and keys, and the variable of `settings.ts` that
 * each one stands for.
 */
export const STACK_OUTPUT_VARIABLES = {
  TableName: 'M2M_TABLE_NAME',
  EnrollmentKeyAlias: 'M2M_ENROLLMENT_KEY_ID',
  RegistrationKeyAlias: 'M2M_REGISTRATION_KEY_ID',
  ScheduleGroupName: 'M2M_SCHEDULE_GROUP',
} as const;

/** A variable set from a stack output. */
export type StackVariable =
  (typeof STACK_OUTPUT_VARIABLES)[keyof typeof STACK_OUTPUT_VARIABLES];

/** The stack is missing, or is not a registrar stack. */
export class StackLookupError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'StackLookupError';
  }
}

/**
 * Reads the outputs of `stackName` with one CloudFormation
 * `DescribeStacks` call and returns them as the variables the AWS
 * adapters read (`M2M_TABLE_NAME`, `M2M_ENROLLMENT_KEY_ID`, ...).
 *
 * @throws {StackLookupError} the stack does not exist, or lacks one of
 *   the outputs (it is not a registrar stack, or still being created).
 */
export async function readStackVariables(
  client: CloudFormationClient,
  stackName: string,
): Promise<Record<StackVariable, string>> {
  const stack = await describe(client, stackName);
  const outputs = new Map(
    (stack.Outputs ?? []).map((output) => [
      output.OutputKey,
      output.OutputValue,
    ]),
  );
  const variables: Partial<Record<StackVariable, string>> = {};
  for (const [output, variable] of Object.entries(STACK_OUTPUT_VARIABLES)) {
    const value = outputs.get(output);
    if (value === undefined || value === '') {
      throw new StackLookupError(
        `stack ${stackName} has no output ${output}: is it a registrar ` +
          `stack, and deployed? (status ${stack.StackStatus ?? 'unknown'})`,
      );
    }
    variables[variable] = value;
  }
  return variables as Record<StackVariable, string>;
}

async function describe(client: CloudFormationClient, stackName: string) {
  try {
    const output = await client.send(
      new DescribeStacksCommand({ StackName: stackName }),
    );
    const [stack] = output.Stacks ?? [];
    if (stack === undefined) {
      throw new StackLookupError(`no stack ${stackName}`);
    }
    return stack;
  } catch (error) {
    if (isMissingStack(error)) {
      throw new StackLookupError(`no stack ${stackName}`);
    }
    throw error;
  }
}

/**
 * CloudFormation (a query-protocol service) reports a missing stack as a
 * `ValidationError` "Stack with id X does not exist"; other validation
 * errors (a malformed name) are not about a missing stack.
 */
function isMissingStack(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === 'ValidationError' &&
    /does not exist/.test(error.message)
  );
}
