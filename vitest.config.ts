import { defineConfig } from 'vitest/config';

// Tests start real servers (Redis, Fastify, the fault proxy) on free ports,
// so they get generous timeouts; there are no timing assertions in the suite.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
