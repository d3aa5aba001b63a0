import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Asserts at the end that no process the suite started is still running.
    globalSetup: ['test/global-setup.ts'],
    // Tests start local orgs and spawn the real CLI (and the sf CLI): give them room on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
