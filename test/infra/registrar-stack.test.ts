import type { App } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RegistrarStack,
  type RegistrarStackProps,
} from '../../infra/registrar-stack.ts';
import {
  fixtureEntry,
  projectRoot,
  type Synthesis,
  synthesize,
} from './synthesize.ts';

/** Bundling and cdk-nag take a while on a shared machine. */
const SYNTH_TIMEOUT_MS = 120_000;

const entries = {
  api: fixtureEntry,
  expiry: fixtureEntry,
  sweep: fixtureEntry,
};

function registrarStack(
  props: Partial<RegistrarStackProps> = {},
): (app: App) => RegistrarStack {
  return (app) =>
    new RegistrarStack(app, 'Registrar', { projectRoot, entries, ...props });
}

/** The logical id of the only resource of `type` whose id starts with `prefix`. */
function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) =>
    id.startsWith(prefix),
  );
  expect(ids).toHaveLength(1);
  return ids[0] ?? '';
}

const scheduleArn = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':scheduler:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':schedule/Registrar-expiry/*',
    ],
  ],
};

describe('RegistrarStack', () => {
  let synthesis: Synthesis;
  let template: Template;

  beforeAll(() => {
    synthesis = synthesize(registrarStack());
    template = synthesis.template;
  }, SYNTH_TIMEOUT_MS);

  afterAll(() => synthesis?.dispose());

  describe('table', () => {
    it('is keyed by pk and sk, on demand, with TTL on ttl', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'gsi', AttributeType: 'S' },
          { AttributeName: 'aei', AttributeType: 'S' },
          { AttributeName: 'expiresAt', AttributeType: 'N' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      });
    });

    it.each([
      ['byAei', 'aei'],
      ['byExpiry', 'expiresAt'],
    ])('has the index %s on gsi and %s, all attributes', (name, sortKey) => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        GlobalSecondaryIndexes: Match.arrayWith([
          {
            IndexName: name,
            KeySchema: [
              { AttributeName: 'gsi', KeyType: 'HASH' },
              { AttributeName: sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ]),
      });
    });

    it('has point-in-time recovery and encryption', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      });
    });

    it('is protected from deletion and retained by default', () => {
      template.hasResource('AWS::DynamoDB::Table', {
        Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
        DeletionPolicy: 'Retain',
      });
    });
  });

  describe('root keys', () => {
    it.each([['enrollment-root'], ['registration-root']])(
      'has an HMAC-SHA-256 key aliased %s',
      (role) => {
        const alias = template.findResources('AWS::KMS::Alias', {
          Properties: { AliasName: `alias/Registrar/${role}` },
        });
        const [definition] = Object.values(alias);
        const keyId = definition?.Properties.TargetKeyId['Fn::GetAtt'][0];

        template.hasResource('AWS::KMS::Key', {
          Properties: Match.objectLike({
            KeySpec: 'HMAC_256',
            KeyUsage: 'GENERATE_VERIFY_MAC',
          }),
          DeletionPolicy: 'Retain',
        });
        expect(template.toJSON().Resources[keyId].Properties).toMatchObject({
          KeySpec: 'HMAC_256',
          KeyUsage: 'GENERATE_VERIFY_MAC',
        });
      },
    );

    it('has exactly two keys', () => {
      template.resourceCountIs('AWS::KMS::Key', 2);
    });
  });

  describe('expiry scheduling', () => {
    it('has a schedule group named after the stack', () => {
      template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', {
        Name: 'Registrar-expiry',
      });
    });

    it('has an SQS-encrypted dead-letter queue that refuses plain HTTP', () => {
      const queue = logicalId(template, 'AWS::SQS::Queue', 'ExpiryDeadLetters');

      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queue }],
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ],
        },
      });
    });

    it('also takes the failed events of the expiry function, after two retries', () => {
      const queue = logicalId(template, 'AWS::SQS::Queue', 'ExpiryDeadLetters');
      const expiry = logicalId(
        template,
        'AWS::Lambda::Function',
        'ExpiryFunction',
      );

      template.hasResourceProperties('AWS::Lambda::Function', {
        DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [queue, 'Arn'] } },
        Description: Match.stringLikeRegexp('expired AE'),
      });
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: expiry },
        MaximumRetryAttempts: 2,
      });
      const api = logicalId(template, 'AWS::Lambda::Function', 'ApiFunction');
      expect(
        template.toJSON().Resources[api].Properties.DeadLetterConfig,
      ).toBeUndefined();
    });

    it('alarms on any visible message in the dead-letter queue', () => {
      const queue = logicalId(template, 'AWS::SQS::Queue', 'ExpiryDeadLetters');

      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [
          { Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } },
        ],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
      });
    });

    it('lets only Scheduler, for this schedule group, assume the scheduler role', () => {
      const group = logicalId(
        template,
        'AWS::Scheduler::ScheduleGroup',
        'ExpirySchedules',
      );

      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Action: 'sts:AssumeRole',
              Effect: 'Allow',
              Principal: { Service: 'scheduler.amazonaws.com' },
              Condition: Match.exact({
                StringEquals: {
                  'aws:SourceAccount': { Ref: 'AWS::AccountId' },
                  'aws:SourceArn': { 'Fn::GetAtt': [group, 'Arn'] },
                },
              }),
            },
          ],
        },
        ManagedPolicyArns: Match.absent(),
      });
    });

    it('lets the scheduler role only invoke the expiry function and use the DLQ', () => {
      const role = logicalId(template, 'AWS::IAM::Role', 'SchedulerRole');
      const expiry = logicalId(
        template,
        'AWS::Lambda::Function',
        'ExpiryFunction',
      );
      const queue = logicalId(template, 'AWS::SQS::Queue', 'ExpiryDeadLetters');

      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: role }],
        PolicyDocument: {
          Statement: [
            {
              Action: 'lambda:InvokeFunction',
              Effect: 'Allow',
              Resource: { 'Fn::GetAtt': [expiry, 'Arn'] },
            },
            {
              Action: 'sqs:SendMessage',
              Effect: 'Allow',
              Resource: { 'Fn::GetAtt': [queue, 'Arn'] },
            },
          ],
        },
      });
    });
  });

  describe('functions', () => {
    it.each([
      ['ApiFunction', 10],
      ['ExpiryFunction', 30],
      ['SweepFunction', 120],
    ])(
      '%s runs Node.js 24 on arm64, traced, %is timeout',
      (prefix, timeout) => {
        const id = logicalId(template, 'AWS::Lambda::Function', prefix);

        expect(template.toJSON().Resources[id].Properties).toMatchObject({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          Timeout: timeout,
        });
      },
    );

    it.each([
      ['ApiLogs'],
      ['ExpiryLogs'],
      ['SweepLogs'],
      ['HttpApiAccessLogs'],
    ])('keeps %s for a month', (prefix) => {
      const id = logicalId(template, 'AWS::Logs::LogGroup', prefix);

      expect(template.toJSON().Resources[id]).toMatchObject({
        Properties: { RetentionInDays: 30 },
        DeletionPolicy: 'Retain',
      });
    });

    it('gives the api function the names of everything it calls', () => {
      const api = logicalId(template, 'AWS::Lambda::Function', 'ApiFunction');
      const resources = template.toJSON().Resources;

      expect(resources[api].Properties.Environment.Variables).toEqual({
        M2M_SECURITY: 'signed',
        M2M_TABLE_NAME: {
          Ref: logicalId(template, 'AWS::DynamoDB::Table', 'Table'),
        },
        M2M_SCHEDULE_GROUP: 'Registrar-expiry',
        M2M_ENROLLMENT_KEY_ID: {
          'Fn::GetAtt': [
            logicalId(template, 'AWS::KMS::Key', 'EnrollmentKey'),
            'Arn',
          ],
        },
        M2M_REGISTRATION_KEY_ID: {
          'Fn::GetAtt': [
            logicalId(template, 'AWS::KMS::Key', 'RegistrationKey'),
            'Arn',
          ],
        },
        M2M_SCHEDULER_ROLE_ARN: {
          'Fn::GetAtt': [
            logicalId(template, 'AWS::IAM::Role', 'SchedulerRole'),
            'Arn',
          ],
        },
        M2M_EXPIRY_FUNCTION_ARN: {
          'Fn::GetAtt': [
            logicalId(template, 'AWS::Lambda::Function', 'ExpiryFunction'),
            'Arn',
          ],
        },
        M2M_SCHEDULE_DLQ_ARN: {
          'Fn::GetAtt': [
            logicalId(template, 'AWS::SQS::Queue', 'ExpiryDeadLetters'),
            'Arn',
          ],
        },
        NODE_OPTIONS: '--enable-source-maps',
      });
    });

    it.each([['ExpiryFunction'], ['SweepFunction']])(
      'gives %s the table, group and key ids but no schedule target',
      (prefix) => {
        const id = logicalId(template, 'AWS::Lambda::Function', prefix);
        const variables =
          template.toJSON().Resources[id].Properties.Environment.Variables;

        expect(Object.keys(variables).sort()).toEqual([
          'M2M_ENROLLMENT_KEY_ID',
          'M2M_REGISTRATION_KEY_ID',
          'M2M_SCHEDULE_GROUP',
          'M2M_SECURITY',
          'M2M_TABLE_NAME',
          'NODE_OPTIONS',
        ]);
      },
    );

    it('grants the api function exactly what it needs', () => {
      const role = logicalId(template, 'AWS::IAM::Role', 'ApiRole');
      const table = logicalId(template, 'AWS::DynamoDB::Table', 'Table');

      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: role }],
        PolicyDocument: {
          Statement: [
            {
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              Effect: 'Allow',
              Resource: {
                'Fn::GetAtt': [
                  logicalId(template, 'AWS::Logs::LogGroup', 'ApiLogs'),
                  'Arn',
                ],
              },
            },
            {
              Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
              Effect: 'Allow',
              Resource: '*',
            },
            {
              // Get: records, enrollments, failure counters; Put: the
              // transactions' Puts, replay guard, audit, counters; Update:
              // counters; Delete: the transactions' Deletes, counters.
              Action: [
                'dynamodb:GetItem',
                'dynamodb:PutItem',
                'dynamodb:UpdateItem',
                'dynamodb:DeleteItem',
              ],
              Effect: 'Allow',
              Resource: { 'Fn::GetAtt': [table, 'Arn'] },
            },
            {
              Action: 'kms:GenerateMac',
              Effect: 'Allow',
              Resource: {
                'Fn::GetAtt': [
                  logicalId(template, 'AWS::KMS::Key', 'EnrollmentKey'),
                  'Arn',
                ],
              },
            },
            {
              Action: 'kms:GenerateMac',
              Effect: 'Allow',
              Resource: {
                'Fn::GetAtt': [
                  logicalId(template, 'AWS::KMS::Key', 'RegistrationKey'),
                  'Arn',
                ],
              },
            },
            {
              Action: [
                'scheduler:CreateSchedule',
                'scheduler:UpdateSchedule',
                'scheduler:DeleteSchedule',
              ],
              Effect: 'Allow',
              Resource: scheduleArn,
            },
            {
              Action: 'iam:PassRole',
              Effect: 'Allow',
              Resource: {
                'Fn::GetAtt': [
                  logicalId(template, 'AWS::IAM::Role', 'SchedulerRole'),
                  'Arn',
                ],
              },
              Condition: {
                StringEquals: {
                  'iam:PassedToService': 'scheduler.amazonaws.com',
                },
              },
            },
          ],
        },
      });
    });

    it('grants the expiry function the table, schedule deletion and its DLQ only', () => {
      const role = logicalId(template, 'AWS::IAM::Role', 'ExpiryRole');
      const table = logicalId(template, 'AWS::DynamoDB::Table', 'Table');
      const queue = logicalId(template, 'AWS::SQS::Queue', 'ExpiryDeadLetters');
      const logs = logicalId(template, 'AWS::Logs::LogGroup', 'ExpiryLogs');

      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: role }],
        PolicyDocument: {
          Statement: [
            {
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              Effect: 'Allow',
              Resource: { 'Fn::GetAtt': [logs, 'Arn'] },
            },
            {
              Action: 'sqs:SendMessage',
              Effect: 'Allow',
              Resource: { 'Fn::GetAtt': [queue, 'Arn'] },
            },
            {
              Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
              Effect: 'Allow',
              Resource: '*',
            },
            {
              // expire: Get the record, the transaction's two Deletes,
              // Put the audit record.
              Action: [
                'dynamodb:GetItem',
                'dynamodb:PutItem',
                'dynamodb:DeleteItem',
              ],
              Effect: 'Allow',
              Resource: { 'Fn::GetAtt': [table, 'Arn'] },
            },
            {
              Action: 'scheduler:DeleteSchedule',
              Effect: 'Allow',
              Resource: scheduleArn,
            },
          ],
        },
      });
    });

    it('has no other IAM policies than the five roles', () => {
      template.resourceCountIs('AWS::IAM::Policy', 5);
      template.resourceCountIs('AWS::IAM::Role', 5);
    });
  });

  describe('expiry sweep', () => {
    it('runs the sweep function every 15 minutes from a group of its own', () => {
      const sweep = logicalId(
        template,
        'AWS::Lambda::Function',
        'SweepFunction',
      );
      const role = logicalId(template, 'AWS::IAM::Role', 'SweepSchedulerRole');

      template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', {
        Name: 'Registrar-sweep',
      });
      template.resourceCountIs('AWS::Scheduler::Schedule', 1);
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        Name: 'expiry-sweep',
        GroupName: 'Registrar-sweep',
        ScheduleExpression: 'rate(15 minutes)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: { 'Fn::GetAtt': [sweep, 'Arn'] },
          RoleArn: { 'Fn::GetAtt': [role, 'Arn'] },
          Input: '{}',
          RetryPolicy: {
            MaximumEventAgeInSeconds: 600,
            MaximumRetryAttempts: 2,
          },
        },
      });
    });

    it('lets only Scheduler, for the sweep group, invoke only the sweep', () => {
      const role = logicalId(template, 'AWS::IAM::Role', 'SweepSchedulerRole');
      const group = logicalId(
        template,
        'AWS::Scheduler::ScheduleGroup',
        'SweepSchedules',
      );
      const sweep = logicalId(
        template,
        'AWS::Lambda::Function',
        'SweepFunction',
      );

      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Principal: { Service: 'scheduler.amazonaws.com' },
              Condition: Match.exact({
                StringEquals: {
                  'aws:SourceAccount': { Ref: 'AWS::AccountId' },
                  'aws:SourceArn': { 'Fn::GetAtt': [group, 'Arn'] },
                },
              }),
            }),
          ],
        },
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: role }],
        PolicyDocument: {
          Statement: [
            {
              Action: 'lambda:InvokeFunction',
              Effect: 'Allow',
              Resource: { 'Fn::GetAtt': [sweep, 'Arn'] },
            },
          ],
        },
      });
    });

    it('grants the sweep single-item access, the byExpiry index and schedule deletion only', () => {
      const role = logicalId(template, 'AWS::IAM::Role', 'SweepRole');
      const table = logicalId(template, 'AWS::DynamoDB::Table', 'Table');
      const logs = logicalId(template, 'AWS::Logs::LogGroup', 'SweepLogs');

      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: role }],
        PolicyDocument: {
          Statement: [
            {
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              Effect: 'Allow',
              Resource: { 'Fn::GetAtt': [logs, 'Arn'] },
            },
            {
              Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
              Effect: 'Allow',
              Resource: '*',
            },
            {
              Action: [
                'dynamodb:GetItem',
                'dynamodb:PutItem',
                'dynamodb:DeleteItem',
              ],
              Effect: 'Allow',
              Resource: { 'Fn::GetAtt': [table, 'Arn'] },
            },
            {
              Action: 'dynamodb:Query',
              Effect: 'Allow',
              Resource: {
                'Fn::Join': [
                  '',
                  [{ 'Fn::GetAtt': [table, 'Arn'] }, '/index/byExpiry'],
                ],
              },
            },
            {
              Action: 'scheduler:DeleteSchedule',
              Effect: 'Allow',
              Resource: scheduleArn,
            },
          ],
        },
      });
    });

    it('has no dead-letter queue and no retry configuration of its own', () => {
      const sweep = logicalId(
        template,
        'AWS::Lambda::Function',
        'SweepFunction',
      );

      expect(
        template.toJSON().Resources[sweep].Properties.DeadLetterConfig,
      ).toBeUndefined();
      template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
    });

    it('says why the sweep goes without a dead-letter queue', () => {
      const finding = synthesis.acknowledged.find(
        (candidate) =>
          candidate.violatingConstructs.some(
            (c) => c.constructPath === 'Registrar/Sweep/Function/Resource',
          ) && candidate.acknowledgedId === 'Serverless::Serverless-LambdaDLQ',
      );

      expect(finding?.reason).toMatch(/next run 15 minutes later/);
    });
  });

  describe('HTTP API', () => {
    it('sends any method on any path, the root included, to the api function', () => {
      const api = logicalId(template, 'AWS::Lambda::Function', 'ApiFunction');
      const routes = Object.values(
        template.findResources('AWS::ApiGatewayV2::Route'),
      );

      expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual([
        'ANY /',
        'ANY /{proxy+}',
      ]);
      template.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
      expect(
        Object.keys(
          template.findResources('AWS::Lambda::Permission', {
            Properties: { Principal: 'apigateway.amazonaws.com' },
          }),
        ),
      ).toHaveLength(2);
      expect(
        new Set(routes.map((route) => JSON.stringify(route.Properties.Target))),
      ).toHaveProperty('size', 1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [api, 'Arn'] },
      });
    });

    it('throttles the stage at 500 requests per second, bursts of 1000', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        DefaultRouteSettings: {
          ThrottlingRateLimit: 500,
          ThrottlingBurstLimit: 1000,
        },
      });
    });

    it('writes access logs as JSON without bodies or oneM2M headers', () => {
      const stage = Object.values(
        template.findResources('AWS::ApiGatewayV2::Stage'),
      )[0];

      const format = JSON.parse(
        stage?.Properties.AccessLogSettings.Format ?? '{}',
      );

      expect(format).toMatchObject({
        requestId: '$context.requestId',
        status: '$context.status',
        path: '$context.path',
      });
      expect(JSON.stringify(format)).not.toMatch(/body|x-m2m|header/i);
    });

    it('auto-deploys a $default stage with access logs', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        AccessLogSettings: {
          DestinationArn: {
            'Fn::GetAtt': [
              logicalId(template, 'AWS::Logs::LogGroup', 'HttpApiAccessLogs'),
              'Arn',
            ],
          },
        },
      });
    });
  });

  describe('outputs', () => {
    it.each([
      ['ApiUrl'],
      ['TableName'],
      ['EnrollmentKeyAlias'],
      ['RegistrationKeyAlias'],
      ['ScheduleGroupName'],
      ['DeadLetterQueueUrl'],
      ['DeadLetterAlarmName'],
      ['ApiFunctionName'],
      ['ExpiryFunctionName'],
      ['SweepFunctionName'],
    ])('names %s', (name) => {
      template.hasOutput(name, { Value: Match.anyValue() });
    });

    it('gives the key aliases as operators type them', () => {
      template.hasOutput('EnrollmentKeyAlias', {
        Value: 'alias/Registrar/enrollment-root',
      });
      template.hasOutput('RegistrationKeyAlias', {
        Value: 'alias/Registrar/registration-root',
      });
    });
  });

  describe('cdk-nag', () => {
    it('reports no finding that is not acknowledged', () => {
      expect(synthesis.violations).toEqual([]);
    });

    it('acknowledges exactly these findings, each on its own resource', () => {
      const acknowledged = synthesis.acknowledged
        .flatMap((finding) =>
          finding.violatingConstructs.map(
            (c) => `${finding.acknowledgedId} @ ${c.constructPath}`,
          ),
        )
        .sort();
      const schedules =
        'Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:' +
        '<AWS::AccountId>:schedule/Registrar-expiry/*';
      const expected = [
        ...['Api', 'Expiry', 'Sweep'].flatMap((fn) => [
          `AwsSolutions::AwsSolutions-IAM5[Resource::*] @ Registrar/${fn}/Role/DefaultPolicy/Resource`,
          `AwsSolutions::AwsSolutions-IAM5[${schedules}] @ Registrar/${fn}/Role/DefaultPolicy/Resource`,
          `AwsSolutions::AwsSolutions-L1 @ Registrar/${fn}/Function/Resource`,
          `Serverless::Serverless-LambdaLatestVersion @ Registrar/${fn}/Function/Resource`,
        ]),
        'AwsSolutions::AwsSolutions-APIG4 @ Registrar/HttpApi/ANY--{proxy+}/Resource',
        'AwsSolutions::AwsSolutions-APIG4 @ Registrar/HttpApi/ANY--/Resource',
        'Serverless::Serverless-LambdaDLQ @ Registrar/Api/Function/Resource',
        'Serverless::Serverless-LambdaDLQ @ Registrar/Sweep/Function/Resource',
        'Serverless::Serverless-LambdaAsyncFailureDestination @ Registrar/Expiry/Function/EventInvokeConfig/Resource',
        'Serverless::Serverless-SQSRedrivePolicy @ Registrar/ExpiryDeadLetters/Resource',
      ].sort();

      expect(acknowledged).toEqual(expected);
    });

    it('gives every acknowledgement a written reason', () => {
      for (const finding of synthesis.acknowledged) {
        expect(finding.reason?.length ?? 0).toBeGreaterThan(40);
      }
      expect(synthesis.acknowledged.length).toBeGreaterThan(0);
    });
  });

  describe('with deletion protection off', () => {
    let unprotected: Synthesis;

    beforeAll(() => {
      unprotected = synthesize(registrarStack({ deletionProtection: false }), {
        bundle: false,
      });
    }, SYNTH_TIMEOUT_MS);

    afterAll(() => unprotected?.dispose());

    it('lets the table, keys and logs go with the stack', () => {
      unprotected.template.hasResource('AWS::DynamoDB::Table', {
        Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
        DeletionPolicy: 'Delete',
      });
      unprotected.template.allResources('AWS::KMS::Key', {
        DeletionPolicy: 'Delete',
      });
      unprotected.template.allResources('AWS::Logs::LogGroup', {
        DeletionPolicy: 'Delete',
      });
    });
  });

  describe('with settings', () => {
    let configured: Synthesis;

    beforeAll(() => {
      configured = synthesize(
        registrarStack({
          settings: {
            security: 'open',
            forceOpen: true,
            cseId: '/id-test',
            defaultLifetimeS: 60,
          },
          throttle: { rateLimit: 5, burstLimit: 10 },
        }),
        { bundle: false },
      );
    }, SYNTH_TIMEOUT_MS);

    afterAll(() => configured?.dispose());

    it('passes them to every function as environment variables', () => {
      const functions = configured.template.findResources(
        'AWS::Lambda::Function',
      );

      for (const definition of Object.values(functions)) {
        expect(definition.Properties.Environment.Variables).toMatchObject({
          M2M_SECURITY: 'open',
          M2M_FORCE_OPEN: 'true',
          M2M_CSE_ID: '/id-test',
          M2M_DEFAULT_LIFETIME_S: '60',
        });
      }
      expect(Object.keys(functions)).toHaveLength(3);
    });

    it('throttles the stage as asked', () => {
      configured.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        DefaultRouteSettings: {
          ThrottlingRateLimit: 5,
          ThrottlingBurstLimit: 10,
        },
      });
    });
  });
});
