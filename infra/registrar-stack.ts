import { join } from 'node:path';
import {
  Aws,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  Alarm,
  ComparisonOperator,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import {
  AttributeType,
  BillingMode,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import {
  Grant,
  type IGrantable,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnSchedule, ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { BY_EXPIRY_INDEX } from '#registrar/adapters/aws/table.ts';
import { type FunctionGrant, RegistrarFunction } from './registrar-function.ts';

/** Registrar settings passed to both functions (see product.md). */
export interface RegistrarFunctionSettings {
  /** `M2M_SECURITY`. @default 'signed' */
  readonly security?: 'signed' | 'open';
  /** `M2M_FORCE_OPEN`: lets `open` run in the cloud. @default false */
  readonly forceOpen?: boolean;
  /** `M2M_CSE_ID`. @default the registrar's own default */
  readonly cseId?: string;
  /** `M2M_CSE_RN`. @default the registrar's own default */
  readonly cseRn?: string;
  /** `M2M_SP_ID`. @default the registrar's own default */
  readonly spId?: string;
  /** `M2M_CLOCK_SKEW_S`. @default the registrar's own default */
  readonly clockSkewS?: number;
  /** `M2M_DEFAULT_LIFETIME_S`. @default the registrar's own default */
  readonly defaultLifetimeS?: number;
  /** `M2M_MAX_LIFETIME_S`. @default the registrar's own default */
  readonly maxLifetimeS?: number;
}

/** Properties of {@link RegistrarStack}. */
export interface RegistrarStackProps extends StackProps {
  /** The project root: package.json, package-lock.json, functions/. */
  readonly projectRoot: string;
  /**
   * Whether the table refuses to be deleted, and the table, keys and logs
   * are retained when the stack goes.
   *
   * @default true
   */
  readonly deletionProtection?: boolean;
  /** @default the registrar's defaults, signatures on */
  readonly settings?: RegistrarFunctionSettings;
  /**
   * Requests per second the API accepts, steady and in bursts; beyond them
   * callers get HTTP 429 before any function runs.
   *
   * @default { rateLimit: 500, burstLimit: 1000 }
   */
  readonly throttle?: ThrottleSettings;
  /**
   * Entry files of the functions.
   *
   * @default functions/handlers/api.ts, expiry.ts and sweep.ts under
   *   projectRoot (sweep: that file even when the others are given)
   */
  readonly entries?: {
    readonly api: string;
    readonly expiry: string;
    readonly sweep?: string;
  };
}

/** How often the expiry sweep runs (functions/handlers/sweep.ts). */
export const SWEEP_RATE = Duration.minutes(15);

/**
 * One JSON line per request in the API's access log: who, what, outcome.
 * Bodies and oneM2M headers are never logged (they may carry `poa`).
 */
const accessLogFields = {
  requestId: '$context.requestId',
  time: '$context.requestTimeEpoch',
  sourceIp: '$context.identity.sourceIp',
  method: '$context.httpMethod',
  path: '$context.path',
  status: '$context.status',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  length: '$context.responseLength',
};

/**
 * DynamoDB actions of the api function, on the table's items only.
 *
 * A TransactWriteItems call is authorised item by item as the Put or
 * Delete it holds (their conditions need nothing more; only a
 * `ConditionCheck` item would need ConditionCheckItem, and none is used).
 * GetItem: registrations, name claims, enrollments, failure counters.
 * PutItem: registrations and name claims, replay guard, audit, counters.
 * UpdateItem and DeleteItem: failure counters; DeleteItem also the
 * transactional removal. No Query: the api function lists nothing.
 */
const apiTableActions = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
];

/**
 * DynamoDB actions of the expiry function: `expire` reads the record,
 * removes record and name claim in one transaction of two Deletes, and
 * appends the audit record.
 */
const expiryTableActions = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:DeleteItem',
];

/**
 * The registrar in the cloud.
 *
 * An HTTP API sends every oneM2M path to the api function; a DynamoDB
 * table holds enrollments and registrations; two KMS HMAC keys are the
 * enrollment and registration roots; EventBridge Scheduler calls the
 * expiry function at each registration's expiration time, with an
 * encrypted dead-letter queue and an alarm behind it.
 */
export class RegistrarStack extends Stack {
  public constructor(scope: Construct, id: string, props: RegistrarStackProps) {
    super(scope, id, props);
    const protect = props.deletionProtection ?? true;
    const removalPolicy = protect
      ? RemovalPolicy.RETAIN
      : RemovalPolicy.DESTROY;
    const handler = (name: string) =>
      join(props.projectRoot, `functions/handlers/${name}.ts`);
    const entries = {
      api: handler('api'),
      expiry: handler('expiry'),
      sweep: handler('sweep'),
      ...props.entries,
    };

    const table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      timeToLiveAttribute: 'ttl',
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: protect,
      removalPolicy,
    });
    // Registration listings (functions/adapters/aws/table.ts): only
    // registration items carry `gsi`, so only they are indexed.
    table.addGlobalSecondaryIndex({
      indexName: 'byAei',
      partitionKey: { name: 'gsi', type: AttributeType.STRING },
      sortKey: { name: 'aei', type: AttributeType.STRING },
    });
    table.addGlobalSecondaryIndex({
      indexName: 'byExpiry',
      partitionKey: { name: 'gsi', type: AttributeType.STRING },
      sortKey: { name: 'expiresAt', type: AttributeType.NUMBER },
    });
    const enrollmentKey = this.macKey('EnrollmentKey', 'enrollment-root', {
      removalPolicy,
    });
    const registrationKey = this.macKey(
      'RegistrationKey',
      'registration-root',
      { removalPolicy },
    );
    const scheduleGroup = new ScheduleGroup(this, 'ExpirySchedules', {
      scheduleGroupName: `${this.stackName}-expiry`,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const deadLetters = new Queue(this, 'ExpiryDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const deadLetterReason =
      'This queue is the dead-letter queue of the expiry schedules and ' +
      'function; a dead-letter queue of its own would only move them on.';
    Validations.of(deadLetters).acknowledge({
      id: 'Serverless::Serverless-SQSRedrivePolicy',
      reason: deadLetterReason,
    });
    const deadLetterAlarm = new Alarm(this, 'ExpiryDeadLettersAlarm', {
      alarmDescription:
        'An expiry schedule could not invoke the expiry function, or ' +
        'the function failed: a registration may outlive its expiration.',
      metric: deadLetters.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    const settings = settingsEnvironment(props.settings ?? {});
    const common = {
      projectRoot: props.projectRoot,
      logRemovalPolicy: removalPolicy,
      logRetention: RetentionDays.ONE_MONTH,
    };
    // Both functions read the same settings; the expiry function gets the
    // key ids without any KMS permission, since it derives no key.
    const sharedEnvironment = {
      M2M_TABLE_NAME: table.tableName,
      M2M_SCHEDULE_GROUP: scheduleGroup.scheduleGroupName,
      M2M_ENROLLMENT_KEY_ID: enrollmentKey.keyArn,
      M2M_REGISTRATION_KEY_ID: registrationKey.keyArn,
    };
    const schedules = (...actions: string[]): FunctionGrant => {
      return (grantee) =>
        Grant.addToPrincipal({
          grantee,
          actions: actions.map((action) => `scheduler:${action}`),
          resourceArns: [
            this.formatArn({
              service: 'scheduler',
              resource: 'schedule',
              resourceName: `${scheduleGroup.scheduleGroupName}/*`,
            }),
          ],
        });
    };
    // Grant.addToPrincipal rather than table.grant: the latter adds the
    // indexes, which neither function queries.
    const tableAccess =
      (actions: string[]): FunctionGrant =>
      (grantee) =>
        Grant.addToPrincipal({
          grantee,
          actions,
          resourceArns: [table.tableArn],
        });

    const expiry = new RegistrarFunction(this, 'Expiry', {
      ...common,
      entry: entries.expiry,
      description: 'm2m-registrar: de-registers an expired AE',
      timeout: Duration.seconds(30),
      environment: { ...settings, ...sharedEnvironment },
      grants: [tableAccess(expiryTableActions), schedules('DeleteSchedule')],
      // Scheduler's dead-letter queue only catches failed invocations;
      // this one catches the function's own failures after retries.
      deadLetterQueue: deadLetters,
    });
    const schedulerRole = new Role(this, 'SchedulerRole', {
      description:
        'Assumed by EventBridge Scheduler to call the expiry function',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': Aws.ACCOUNT_ID,
            'aws:SourceArn': scheduleGroup.scheduleGroupArn,
          },
        },
      }),
    });
    schedulerRole.addToPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [expiry.function.functionArn],
      }),
    );
    schedulerRole.addToPolicy(
      new PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: [deadLetters.queueArn],
      }),
    );
    const passSchedulerRole: FunctionGrant = (grantee: IGrantable) =>
      Grant.addToPrincipal({
        grantee,
        actions: ['iam:PassRole'],
        resourceArns: [schedulerRole.roleArn],
        conditions: {
          StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
        },
      });

    const api = new RegistrarFunction(this, 'Api', {
      ...common,
      entry: entries.api,
      description: 'm2m-registrar: the oneM2M HTTP binding',
      environment: {
        ...settings,
        ...sharedEnvironment,
        M2M_SCHEDULER_ROLE_ARN: schedulerRole.roleArn,
        M2M_EXPIRY_FUNCTION_ARN: expiry.function.functionArn,
        M2M_SCHEDULE_DLQ_ARN: deadLetters.queueArn,
      },
      grants: [
        tableAccess(apiTableActions),
        (grantee) => enrollmentKey.grant(grantee, 'kms:GenerateMac'),
        (grantee) => registrationKey.grant(grantee, 'kms:GenerateMac'),
        schedules('CreateSchedule', 'UpdateSchedule', 'DeleteSchedule'),
        passSchedulerRole,
      ],
    });
    const sweep = this.sweep({
      common,
      entry: entries.sweep,
      environment: { ...settings, ...sharedEnvironment },
      table,
      deleteSchedules: schedules('DeleteSchedule'),
    });
    for (const fn of [api, expiry, sweep]) {
      Validations.of(fn.role).acknowledge({
        id:
          'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:' +
          'scheduler:<AWS::Region>:<AWS::AccountId>:schedule/' +
          `${scheduleGroup.scheduleGroupName}/*]`,
        reason:
          'Schedules are named per registration at run time; the grant is ' +
          "limited to the registrar's own schedule group.",
      });
    }
    const httpApi = this.httpApi(api, removalPolicy, {
      rateLimit: props.throttle?.rateLimit ?? 500,
      burstLimit: props.throttle?.burstLimit ?? 1000,
    });

    const outputs: Record<string, string> = {
      ApiUrl: httpApi.apiEndpoint,
      TableName: table.tableName,
      EnrollmentKeyAlias: `alias/${this.stackName}/enrollment-root`,
      RegistrationKeyAlias: `alias/${this.stackName}/registration-root`,
      ScheduleGroupName: scheduleGroup.scheduleGroupName,
      DeadLetterQueueUrl: deadLetters.queueUrl,
      DeadLetterAlarmName: deadLetterAlarm.alarmName,
      ApiFunctionName: api.function.functionName,
      ExpiryFunctionName: expiry.function.functionName,
      SweepFunctionName: sweep.function.functionName,
    };
    for (const [name, value] of Object.entries(outputs)) {
      new CfnOutput(this, name, { value });
    }
  }

  /**
   * The expiry sweep: a function that ends registrations whose timer was
   * lost, run every {@link SWEEP_RATE} by a recurring schedule.
   *
   * The schedule has a group of its own, so that neither the functions'
   * schedule grants (on the expiry group) reach it nor the expiry
   * schedules' role can be used for it; its role may only invoke the
   * sweep. The function reads and writes single items (`expire`: Get, the
   * transactional Delete of record and name claim, the audit Put) and
   * queries the `byExpiry` index only, and may delete expiry schedules.
   */
  private sweep(parts: {
    common: {
      projectRoot: string;
      logRemovalPolicy: RemovalPolicy;
      logRetention: RetentionDays;
    };
    entry: string;
    environment: Record<string, string>;
    table: Table;
    deleteSchedules: FunctionGrant;
  }): RegistrarFunction {
    const { table } = parts;
    const sweep = new RegistrarFunction(this, 'Sweep', {
      ...parts.common,
      entry: parts.entry,
      description:
        'm2m-registrar: ends expired registrations whose timer was lost',
      timeout: Duration.minutes(2),
      environment: parts.environment,
      grants: [
        (grantee) =>
          Grant.addToPrincipal({
            grantee,
            actions: [
              'dynamodb:GetItem',
              'dynamodb:PutItem',
              'dynamodb:DeleteItem',
            ],
            resourceArns: [table.tableArn],
          }),
        (grantee) =>
          Grant.addToPrincipal({
            grantee,
            actions: ['dynamodb:Query'],
            resourceArns: [`${table.tableArn}/index/${BY_EXPIRY_INDEX}`],
          }),
        parts.deleteSchedules,
      ],
      noDeadLetterReason:
        'A failed sweep is simply repeated by the next run 15 minutes ' +
        'later; its empty event carries nothing worth redriving.',
    });
    const group = new ScheduleGroup(this, 'SweepSchedules', {
      scheduleGroupName: `${this.stackName}-sweep`,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(this, 'SweepSchedulerRole', {
      description: 'Assumed by EventBridge Scheduler to run the expiry sweep',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': Aws.ACCOUNT_ID,
            'aws:SourceArn': group.scheduleGroupArn,
          },
        },
      }),
    });
    role.addToPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [sweep.function.functionArn],
      }),
    );
    const schedule = new CfnSchedule(this, 'SweepSchedule', {
      name: 'expiry-sweep',
      groupName: group.scheduleGroupName,
      description: 'Runs the m2m-registrar expiry sweep',
      scheduleExpression: `rate(${SWEEP_RATE.toMinutes()} minutes)`,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: sweep.function.functionArn,
        roleArn: role.roleArn,
        input: '{}',
        // A late run is worth little: the next one comes on schedule.
        retryPolicy: { maximumEventAgeInSeconds: 600, maximumRetryAttempts: 2 },
      },
    });
    schedule.node.addDependency(group, role);
    return sweep;
  }

  /** An HMAC-SHA-256 root key with an alias under the stack's name. */
  private macKey(
    id: string,
    role: string,
    options: { removalPolicy: RemovalPolicy },
  ): Key {
    const key = new Key(this, id, {
      description: `m2m-registrar ${role} (HMAC-SHA-256)`,
      keySpec: KeySpec.HMAC_256,
      keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
      alias: `${this.stackName}/${role}`,
      removalPolicy: options.removalPolicy,
      pendingWindow: Duration.days(30),
    });
    Validations.of(key).acknowledge({
      id: 'AwsSolutions::AwsSolutions-KMS5',
      reason:
        'KMS cannot rotate HMAC keys; the operator rotates by creating a ' +
        'new key and moving the alias (see README).',
    });
    return key;
  }

  /**
   * The HTTP API: a greedy route covers every path form of the oneM2M
   * binding (`/cse-in`, `/cse-in/<rn>`, `/<ri>`, `/~/<cse-id>/...`,
   * `/_/<sp-id>/<cse-id>/...`, `/-/<rn>`), any method; `ANY /` covers the
   * root, which `{proxy+}` does not match. Both reach the api function, so
   * every path is answered by the pipeline with a oneM2M code.
   */
  private httpApi(
    api: RegistrarFunction,
    removalPolicy: RemovalPolicy,
    throttle: ThrottleSettings,
  ) {
    const httpApi = new HttpApi(this, 'HttpApi', {
      description: 'm2m-registrar: oneM2M HTTP binding',
      createDefaultStage: false,
    });
    const integration = new HttpLambdaIntegration('Registrar', api.function);
    for (const path of ['/', '/{proxy+}']) {
      httpApi.addRoutes({ path, methods: [HttpMethod.ANY], integration });
    }
    const accessLogs = new LogGroup(this, 'HttpApiAccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy,
    });
    new HttpStage(this, 'HttpApiStage', {
      httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });
    Validations.of(httpApi).acknowledge({
      id: 'AwsSolutions::AwsSolutions-APIG4',
      reason:
        'Every request is authenticated in the api function by its ' +
        'RFC 9421 signature over the body, which an authorizer cannot see.',
    });
    return httpApi;
  }
}

/** The registrar settings as environment variables; unset ones are left out. */
function settingsEnvironment(
  settings: RegistrarFunctionSettings,
): Record<string, string> {
  const pairs: Array<[string, string | number | boolean | undefined]> = [
    ['M2M_SECURITY', settings.security ?? 'signed'],
    ['M2M_FORCE_OPEN', settings.forceOpen === true ? 'true' : undefined],
    ['M2M_CSE_ID', settings.cseId],
    ['M2M_CSE_RN', settings.cseRn],
    ['M2M_SP_ID', settings.spId],
    ['M2M_CLOCK_SKEW_S', settings.clockSkewS],
    ['M2M_DEFAULT_LIFETIME_S', settings.defaultLifetimeS],
    ['M2M_MAX_LIFETIME_S', settings.maxLifetimeS],
  ];
  const environment: Record<string, string> = {};
  for (const [name, value] of pairs) {
    if (value !== undefined) {
      environment[name] = String(value);
    }
  }
  return environment;
}
