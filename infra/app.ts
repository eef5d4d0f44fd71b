/**
 * The CDK app: one environment-agnostic registrar stack.
 *
 * Settings come from CDK context (`-c name=value` or cdk.json):
 * `stackName` (default `M2mRegistrar`), `deletionProtection` (default
 * `true`), `security` (`signed` or `open`), `forceOpen`, `cseId`, `cseRn`,
 * `spId`, `clockSkewS`, `defaultLifetimeS`, `maxLifetimeS`.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { readStackContext } from './context.ts';
import { addPolicyChecks } from './policy-checks.ts';
import { RegistrarStack } from './registrar-stack.ts';

const projectRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const app = new App();
const context = readStackContext((name) => app.node.tryGetContext(name));

new RegistrarStack(app, context.stackName, {
  projectRoot,
  description: 'm2m-registrar: registrar for oneM2M application entities',
  deletionProtection: context.deletionProtection,
  settings: context.settings,
});
addPolicyChecks(app);
app.synth();
