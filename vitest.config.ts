import { defineConfig } from 'vitest/config';

// Tests start real servers (Redis, Fastify, the fault proxy) on free ports,
// so they get generous timeouts; there are no timing assertions in the suite.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One test file at a time. The end-to-end runs drive real workloads
    // through real servers in their own process. On a 2-core machine, a
    // second file running beside them made the workload driver lag past its
    // 100 ms limit, so the harness was blamed instead of the system under
    // test, and recovery claims timed out. Those are correct verdicts for a
    // starved harness, but wrong ones for the test.
    maxWorkers: 1,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
