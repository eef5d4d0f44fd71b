import { defineConfig } from 'vitest/config';

/**
 * Test tiers, named by what they need: `unit` (nothing), `integration` (the
 * embedded server, started by the tests), `infra` (CDK synth and template
 * assertions). The `e2e` tier needs a deployed stack and runs only through
 * `npm run test:e2e`.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          // Synthesis bundles every function with esbuild in beforeAll.
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
