import { describe, expect, it } from 'vitest';
import { crashRollout } from './crash-rollout.ts';

// The 100-replica version is in test/stress/crash-rollout.test.ts.
describe('kill -9 during a rolling update (20 replicas)', () => {
  for (const sandbox of [true, false]) {
    it(`loses nothing, completes the rollout, duplicates no pod and orphans no process (${sandbox ? 'bwrap' : 'no sandbox'})`, async () => {
      const r = await crashRollout({ replicas: 20, sandbox });
      expect(r.problems).toEqual([]);
      if (!sandbox) expect((r.facts.survivorsOfKill as string[]).length).toBeGreaterThan(0);
    }, 180_000);
  }
});
