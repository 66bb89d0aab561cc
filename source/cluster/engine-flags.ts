/**
 * Node/V8 flags of the engine's process: the daemon `cluster up` spawns runs with them, and so do
 * the benchmarks' engines (bench/child.ts).
 *
 * `--max-semi-space-size=MiB`: V8's young generation grows to two semi-spaces of 16 MiB each by
 * default, and once grown its pages stay resident. The engine keeps most of what it allocates for
 * as long as a pod lives, so a large nursery buys little; see docs/PERFORMANCE.md ("Engine RSS at
 * 10,000 pods, fifth pass") for RSS and CPU with each size.
 */
export const ENGINE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];
