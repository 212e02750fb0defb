import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // One throwaway PostgreSQL server for the run, started in the background (test/helpers/postgres-global-setup.ts).
    globalSetup: ['test/helpers/postgres-global-setup.ts'],
    // The OCI SDK prints retry warnings with console.warn; keep test output about behaviour.
    silent: 'passed-only',
  },
});
