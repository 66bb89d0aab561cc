/**
 * Node/V8 flags of the engine's process: the daemon `cluster up` spawns runs with them, and so do
 * the benchmarks' engines (bench/child.ts).
 *
 * The engine keeps most of what it allocates for as long as a pod lives, and V8's defaults size
 * the heap for short-lived garbage:
 * - `--max-semi-space-size=2`: the young generation grows to two semi-spaces of 16 MiB by
 *   default, resident once grown; 2 MiB each.
 * - `--heap-growing-percent=30`: after a full collection the old generation may grow to up to 4×
 *   what survived (the factor V8 picks on a machine with gigabytes of memory) before the next,
 *   and pages it grew into stay resident; 1.3× here. At 10,000 pods: old space 248 instead of
 *   ~365 MiB, for about a tenth more CPU (docs/PERFORMANCE.md, "Engine RSS at 10,000 pods, fifth
 *   pass").
 * - `--expose-gc`: for idle-compaction.ts, which asks for one compacting GC after a burst.
 */
export const ENGINE_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=2',
  '--heap-growing-percent=30',
  '--expose-gc',
];
