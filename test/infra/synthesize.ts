import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addPolicyChecks } from '../../infra/policy-checks.ts';

/** The project root, where package.json lives. */
export const projectRoot = join(
  dirname(fileURLToPath(import.meta.url)),
  '../..',
);

/** A small handler importing through `#registrar/*`, bundled in tests. */
export const fixtureEntry = join(projectRoot, 'test/infra/fixtures/handler.ts');

/** One cdk-nag finding as the policy validation report lists it. */
export interface Finding {
  readonly ruleName: string;
  readonly acknowledgedId?: string;
  readonly reason?: string;
  readonly violatingConstructs: ReadonlyArray<{ constructPath: string }>;
}

/** What one synthesis produced. */
export interface Synthesis {
  readonly template: Template;
  readonly outdir: string;
  readonly violations: readonly Finding[];
  readonly acknowledged: readonly Finding[];
  /** Removes the cloud assembly folder. */
  readonly dispose: () => void;
}

interface Report {
  readonly pluginReports: ReadonlyArray<{
    readonly violations: readonly Finding[];
    readonly suppressedViolations?: readonly Finding[];
  }>;
}

/**
 * Synthesizes the stack `build` makes, with the app's cdk-nag packs.
 *
 * `bundle: false` skips esbuild (CDK's `aws:cdk:bundling-stacks` context)
 * for tests that only read the template. A cdk-nag finding that is not
 * acknowledged makes synthesis throw.
 */
export function synthesize(
  build: (app: App) => Stack,
  options: { bundle?: boolean } = {},
): Synthesis {
  const outdir = mkdtempSync(join(tmpdir(), 'm2m-infra-'));
  const context =
    options.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {};
  const app = new App({ outdir, context });
  const stack = build(app);
  addPolicyChecks(app);
  app.synth();
  const report = JSON.parse(
    readFileSync(join(outdir, 'validation-report.json'), 'utf8'),
  ) as Report;
  return {
    template: Template.fromStack(stack),
    outdir,
    violations: report.pluginReports.flatMap((plugin) => plugin.violations),
    acknowledged: report.pluginReports.flatMap(
      (plugin) => plugin.suppressedViolations ?? [],
    ),
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
