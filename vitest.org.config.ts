import { defineConfig } from 'vitest/config';

/** `npm run test:org`: only the real-org entry file (scripts/tooling/test-org.ts runs it when OMNI_E2E_TARGET_ORG is set). */
export default defineConfig({
  test: {
    include: ['test/e2e/org.e2e.ts'],
    // Real orgs: deploys and polling take minutes, not seconds.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
