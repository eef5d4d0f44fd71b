/**
 * The CDK app: one environment-agnostic registrar stack.
 *
 * Settings come from CDK context (`-c name=value` or cdk.json):
 * `stackName` (default `M2mRegistrar`), `deletionProtection` (default
 * `true`), `security` (`signed` or `open`), `forceOpen`, `cseId`, `cseRn`,
 * `spId`, `clockSkewS`, `defaultLifetimeS`, `maxLifetimeS`, and
 * `throttleRate` and `throttleBurst` (requests per second), and
 * `cliCredentials` (default `false`): deploy with the caller's own
 * credentials instead of assuming the bootstrap roles.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  App,
  CliCredentialsStackSynthesizer,
  DefaultStackSynthesizer,
  type IStackSynthesizer,
} from 'aws-cdk-lib';
import { readStackContext } from './context.ts';
import { addPolicyChecks } from './policy-checks.ts';
import { RegistrarStack } from './registrar-stack.ts';

const projectRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const app = new App();
const context = readStackContext((name) => app.node.tryGetContext(name));
// The classes declare `bootstrapQualifier: string | undefined`, which
// exactOptionalPropertyTypes does not accept for the interface's optional
// `string`; the value is the same at run time.
const synthesizer = (
  context.cliCredentials
    ? new CliCredentialsStackSynthesizer()
    : new DefaultStackSynthesizer()
) as IStackSynthesizer;

new RegistrarStack(app, context.stackName, {
  projectRoot,
  description: 'm2m-registrar: registrar for oneM2M application entities',
  deletionProtection: context.deletionProtection,
  settings: context.settings,
  throttle: context.throttle,
  synthesizer,
});
addPolicyChecks(app);
app.synth();
