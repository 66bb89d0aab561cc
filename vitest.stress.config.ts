import { defineConfig } from 'vitest/config';

// `npm run test:stress`: the heavy reliability runs (10,000 hostile requests, long kill loops).
export default defineConfig({
  test: {
    include: ['test/stress/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 15 * 60_000,
    hookTimeout: 120_000,
    // One at a time: each file loads the machine on its own.
    maxWorkers: 1,
    minWorkers: 1,
    fileParallelism: false,
  },
});
