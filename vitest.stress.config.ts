import { defineConfig } from 'vitest/config';
import { SLOW_PROOFS } from './test/slow-proofs.ts';

// `npm run test:stress`: the heavy reliability runs (10,000 hostile requests, long kill loops), and
// the slowest end-to-end proofs (test/slow-proofs.ts).
export default defineConfig({
  test: {
    include: ['test/stress/**/*.test.ts', ...SLOW_PROOFS],
    pool: 'forks',
    testTimeout: 15 * 60_000,
    hookTimeout: 120_000,
    // One at a time: each file loads the machine on its own.
    maxWorkers: 1,
    minWorkers: 1,
    fileParallelism: false,
  },
});
