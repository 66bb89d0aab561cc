import { execa } from 'execa';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ENGINE_NODE_FLAGS, v8PoolSize } from '../../source/cluster/engine-flags.ts';

/** Threads of a Node process started with `flags`, counted by the process itself (Linux /proc). */
const threads = async (flags: readonly string[]) => {
  const r = await execa(process.execPath, [...flags, '-p', "require('fs').readdirSync('/proc/self/task').length"]);
  return Number(r.stdout);
};

describe('the engine daemon’s Node flags', () => {
  it('give V8 one background thread fewer than the machine has cores, between 1 and 4', () => {
    expect([1, 2, 3, 4, 8, 64].map(v8PoolSize)).toEqual([1, 1, 2, 3, 4, 4]);
  });

  it('are accepted by Node and set the background threads the daemon runs with', async () => {
    const defaults = await threads([]);
    const engine = await threads(ENGINE_NODE_FLAGS);
    // Node's default pool is 4 threads; everything else about the two processes is the same.
    expect(defaults - engine).toBe(4 - v8PoolSize(availableParallelism()));
  });
});
