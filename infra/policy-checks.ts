import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';

/**
 * Adds the cdk-nag rule packs the registrar is held to.
 *
 * Synthesis fails on any finding that is not acknowledged, with a reason,
 * on the construct it concerns.
 */
export function addPolicyChecks(app: App): void {
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app),
    new ServerlessChecks(app),
  );
}
