import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The `e2e` tier: the stack deployed on an emulator (or an account),
 * reached over HTTP. Run by scripts/e2e.sh, which deploys first.
 */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    name: 'e2e',
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
