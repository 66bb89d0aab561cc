import { availableParallelism } from 'node:os';

/**
 * How many background threads V8 gets (TurboFan's compiles, concurrent marking, parallel
 * scavenges): one fewer than the machine's cores, and never more than Node's default of 4. With
 * Node's 4 on a 2-core machine, a burst's compiles and marking ran on both cores at once and the
 * engine's own thread waited for one: `kubectl scale` 0 → 1,000 on a fresh daemon took 0.99–1.14 s
 * (median 1.06) with 4 and 0.91–1.05 s (median 0.94) with 1, faster in 5 of 5 alternating pairs;
 * 2 was between (docs/PERFORMANCE.md).
 */
export function v8PoolSize(cores: number): number {
  return Math.min(4, Math.max(1, cores - 1));
}

/**
 * Node/V8 flags of the engine's process: the daemon `cluster up` spawns runs with them, and so do
 * the benchmarks' engines (bench/child.ts).
 *
 * The engine keeps most of what it allocates for as long as a pod lives, and V8's defaults size
 * the heap for short-lived garbage:
 * - `--max-semi-space-size=4`: the young generation grows to two semi-spaces of 16 MiB by
 *   default, resident once grown; 4 MiB each. With 2 MiB, a burst (`kubectl scale` 0 → 1,000)
 *   scavenged so often that more of it survived into the old generation: 1.12–1.19 s against
 *   1.10–1.12 s with 4 and 1.00–1.04 s with 8, but with 8 a LIST of 10,000 pods took 120–170 ms
 *   instead of 55–66 (docs/PERFORMANCE.md, "The daemon's first scale"). Measured again on
 *   2026-12-05: 8 scales ~6 % faster (1.11–1.20 s against 1.19–1.32), a warm LIST of 10,000 pods
 *   is 79–92 against 64–82 ms, and the engine holds ~19 MiB more at 10,000 pods (median 227
 *   against 208 MiB): a trade, not a win, so 4 stays.
 * - how far the old generation grows between full GCs is chosen at run time by the heap's size
 *   (heap-growth.ts): 30 % for a large heap, as `--heap-growing-percent=30` here did for all.
 * - `--expose-gc`: for idle-compaction.ts, which asks for one compacting GC after a burst.
 * - `--v8-pool-size`: see v8PoolSize.
 */
export const ENGINE_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=4',
  '--expose-gc',
  `--v8-pool-size=${v8PoolSize(availableParallelism())}`,
];
