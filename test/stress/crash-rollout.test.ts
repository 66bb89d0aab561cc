import { describe, expect, it } from 'vitest';
import { crashRollout } from '../reliability/crash-rollout.ts';

const ROUNDS = Number(process.env.SKIFF_CRASH_ROUNDS ?? 5);
const REPLICAS = Number(process.env.SKIFF_CRASH_REPLICAS ?? 100);
// Round N kills the recovering engine N - 1 more times; a long run (50 rounds) caps that.
// `bwrap`, `none` or both (default): which container runtimes the rounds use.
const SANDBOXES = (process.env.SKIFF_CRASH_SANDBOXES ?? 'bwrap,none').split(',').map((s) => s.trim() === 'bwrap');
const MAX_RELAPSES = Number(process.env.SKIFF_CRASH_MAX_RELAPSES ?? Infinity);

describe(`kill -9 during a ${REPLICAS}-replica rolling update (stress)`, () => {
  for (let round = 0; round < ROUNDS; round++) {
    for (const sandbox of SANDBOXES) {
      // Later rounds kill the restarted engine again (round - 1 times) while it recovers.
      it(`round ${round + 1}, ${sandbox ? 'bwrap' : 'no sandbox'}: nothing lost, rollout completes, no duplicate, no orphan`, async () => {
        const r = await crashRollout({
          replicas: REPLICAS,
          spinners: 5,
          sandbox,
          relapses: Math.min(round, MAX_RELAPSES),
          log: (m) => console.log(m),
        });
        console.log(JSON.stringify(r.facts));
        expect(r.problems).toEqual([]);
      }, 600_000);
    }
  }
});
