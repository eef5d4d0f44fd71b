import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  type Grant,
  type IGrantable,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import {
  NodejsFunction,
  OutputFormat,
  SourceMapMode,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** One least-privilege grant, given the function's role. */
export type FunctionGrant = (grantee: IGrantable) => Grant;

/** What differs between the registrar's functions. */
export interface RegistrarFunctionProps {
  /** The entry file, an absolute path under `functions/handlers/`. */
  readonly entry: string;
  /** The project root: where package.json and package-lock.json live. */
  readonly projectRoot: string;
  /** What the function does, shown in the console. */
  readonly description: string;
  /** Environment variables besides NODE_OPTIONS. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Every permission the function needs, granted at creation. */
  readonly grants?: readonly FunctionGrant[];
  /**
   * Where asynchronous invocations go after Lambda's retries fail.
   *
   * @default none: for functions only ever invoked synchronously
   */
  readonly deadLetterQueue?: IQueue;
  /**
   * Why a function that is invoked asynchronously has no dead-letter
   * queue: the reason cdk-nag's finding is acknowledged with.
   *
   * @default none: without a dead-letter queue the function is taken to be
   *   invoked synchronously only
   */
  readonly noDeadLetterReason?: string;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /**
   * What happens to the log group when the stack is deleted.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * Lets an ESM bundle load the CommonJS dependencies that still call
 * `require` (esbuild keeps those calls when the output is ESM).
 */
const requireShim =
  "import { createRequire as __registrarRequire } from 'node:module';" +
  'const require = __registrarRequire(import.meta.url);';

/**
 * A registrar Lambda function with the team's fixed choices.
 *
 * Node.js 24 on arm64, an ESM bundle made by the locally installed esbuild
 * (never Docker), minified with source maps, X-Ray tracing, its own log
 * group with a retention, and a role that holds only the write access to
 * that log group, the tracing calls, and the grants passed in.
 */
export class RegistrarFunction extends Construct {
  /** The Lambda function. */
  public readonly function: NodejsFunction;
  /** The function's log group. */
  public readonly logGroup: LogGroup;
  /** The function's execution role. */
  public readonly role: Role;

  public constructor(
    scope: Construct,
    id: string,
    props: RegistrarFunctionProps,
  ) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    // A role of our own instead of AWSLambdaBasicExecutionRole, whose log
    // permissions reach every log group of the account.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.description}`,
    });
    this.logGroup.grantWrite(this.role);
    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      tracing: Tracing.ACTIVE,
      timeout: props.timeout ?? Duration.seconds(10),
      memorySize: props.memorySize ?? 512,
      logGroup: this.logGroup,
      role: this.role,
      ...(props.deadLetterQueue === undefined
        ? {}
        : { deadLetterQueue: props.deadLetterQueue, retryAttempts: 2 }),
      projectRoot: props.projectRoot,
      depsLockFilePath: `${props.projectRoot}/package-lock.json`,
      environment: {
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node24',
        platform: 'node',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        banner: requireShim,
        // The SDK is bundled too: the runtime's copy lags behind, and
        // emulators that run handlers as local processes have none.
        bundleAwsSDK: true,
        externalModules: [],
      },
    });
    for (const grant of props.grants ?? []) {
      grant(this.function);
    }
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'xray:PutTraceSegments and xray:PutTelemetryRecords (active ' +
        'tracing) have no resource type and need "*".',
    });
    const runtimeReason =
      'The code is built and tested on Node.js 24, the pinned toolchain; ' +
      'nodejs26.x follows when the toolchain moves to Node.js 26.';
    Validations.of(this.function).acknowledge(
      { id: 'AwsSolutions::AwsSolutions-L1', reason: runtimeReason },
      {
        id: 'Serverless::Serverless-LambdaLatestVersion',
        reason: runtimeReason,
      },
    );
    this.acknowledgeFailureHandling(props);
  }

  /**
   * A dead-letter queue, a stated reason for going without one, or
   * synchronous calls only.
   */
  private acknowledgeFailureHandling(props: RegistrarFunctionProps): void {
    if (props.deadLetterQueue !== undefined) {
      Validations.of(this).acknowledge({
        id: 'Serverless::Serverless-LambdaAsyncFailureDestination',
        reason:
          'Failed asynchronous events go to the dead-letter queue as they ' +
          'came, so they can be redriven as is; a destination would wrap them.',
      });
      return;
    }
    Validations.of(this.function).acknowledge({
      id: 'Serverless::Serverless-LambdaDLQ',
      reason:
        props.noDeadLetterReason ??
        'Invoked synchronously only (API Gateway), where a dead-letter ' +
          'queue never receives anything: the caller sees the error.',
    });
  }
}
