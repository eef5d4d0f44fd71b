import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistrarFunction } from '../../infra/registrar-function.ts';
import {
  fixtureEntry,
  projectRoot,
  type Synthesis,
  synthesize,
} from './synthesize.ts';

/** Bundling and cdk-nag take a while on a shared machine. */
const SYNTH_TIMEOUT_MS = 120_000;

describe('RegistrarFunction', () => {
  let synthesis: Synthesis;

  beforeAll(() => {
    synthesis = synthesize((app) => {
      const stack = new Stack(app, 'FunctionTest');
      const table = new Table(stack, 'Table', {
        partitionKey: { name: 'pk', type: AttributeType.STRING },
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      });
      new RegistrarFunction(stack, 'Fn', {
        entry: fixtureEntry,
        projectRoot,
        description: 'test function',
        environment: { M2M_TABLE_NAME: table.tableName },
        timeout: Duration.seconds(7),
        memorySize: 256,
        logRetention: RetentionDays.ONE_WEEK,
        grants: [(grantee) => table.grant(grantee, 'dynamodb:GetItem')],
      });
      return stack;
    });
  }, SYNTH_TIMEOUT_MS);

  afterAll(() => synthesis?.dispose());

  it('runs Node.js 24 on arm64 with active tracing', () => {
    synthesis.template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
    });
  });

  it('takes the timeout, memory and environment it is given, with source maps on', () => {
    synthesis.template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 7,
      MemorySize: 256,
      Environment: {
        Variables: {
          M2M_TABLE_NAME: Match.anyValue(),
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
  });

  it('has no dead-letter queue unless given one', () => {
    synthesis.template.hasResourceProperties('AWS::Lambda::Function', {
      DeadLetterConfig: Match.absent(),
    });
    synthesis.template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 0);
  });

  it('logs to its own log group with the given retention', () => {
    synthesis.template.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 7,
    });
    synthesis.template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^FnLogs') } },
    });
  });

  it('has a role without managed policies', () => {
    synthesis.template.resourceCountIs('AWS::IAM::Role', 1);
    synthesis.template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: Match.absent(),
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
          },
        ],
      },
    });
  });

  it('grants its log group, tracing and exactly the grants passed in', () => {
    synthesis.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Effect: 'Allow',
            Resource: {
              'Fn::GetAtt': [Match.stringLikeRegexp('^FnLogs'), 'Arn'],
            },
          },
          {
            Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
            Effect: 'Allow',
            Resource: '*',
          },
          {
            Action: 'dynamodb:GetItem',
            Effect: 'Allow',
            Resource: [
              { 'Fn::GetAtt': [Match.stringLikeRegexp('^Table'), 'Arn'] },
            ],
          },
        ],
      },
    });
  });

  describe('bundle', () => {
    function bundleFolder(): string {
      const folders = readdirSync(synthesis.outdir).filter((name) =>
        name.startsWith('asset.'),
      );
      expect(folders).toHaveLength(1);
      return join(synthesis.outdir, folders[0] ?? '');
    }

    it('is one minified ESM file with its source map', () => {
      const folder = bundleFolder();

      const code = readFileSync(join(folder, 'index.mjs'), 'utf8');

      expect(existsSync(join(folder, 'index.mjs.map'))).toBe(true);
      expect(code).toMatch(
        /^import \{ createRequire as \w+ \} from 'node:module';/,
      );
      expect(code).toContain('export{');
      expect(code).toContain('sourceMappingURL=index.mjs.map');
      expect(code.split('\n').length).toBeLessThanOrEqual(4);
    });

    it('resolves the #registrar/* package alias', () => {
      const code = readFileSync(join(bundleFolder(), 'index.mjs'), 'utf8');

      expect(code).not.toContain('#registrar/');
      expect(code).toContain('ORIGINATOR_HAS_ALREADY_REGISTERED:4117');
    });
  });
});
