import { defineConfig } from 'vitest/config';

// Two cores on CI machines: two forked workers; each test file boots its own servers on port 0,
// so files never share ports or state.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { APOLLO_TELEMETRY_DISABLED: '1', LOG_LEVEL: 'silent' },
  },
});
