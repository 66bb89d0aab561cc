import { defineConfig } from 'vitest/config';
import { SLOW_PROOFS } from './test/slow-proofs.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/stress/**', 'node_modules/**', ...SLOW_PROOFS],
    pool: 'forks',
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: integration tests each start an engine; keep parallelism modest.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
