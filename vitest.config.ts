import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// Two cores on CI machines: two forked workers; each test file boots its own servers on port 0,
// so files never share ports or state.
export default defineConfig({
  resolve: {
    // One graphql-js, as under Node: vite would hand our ESM sources graphql's .mjs build while
    // Apollo Server and @apollo/subgraph require() its CommonJS build, and `instanceof GraphQLError`
    // (error masking, subgraphs/shared/errors.ts) would then fail across the two copies.
    alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { APOLLO_TELEMETRY_DISABLED: '1', LOG_LEVEL: 'silent' },
  },
});
