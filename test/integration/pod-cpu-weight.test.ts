import { getPriority } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

// A container's CPU request sets its processes' weight against the engine, as upstream's kubelet
// sets cpu.shares from it: here as a niceness (source/engine/runtime/niceness.ts).
let t: TestEngine;
const pods: Array<[name: string, resources: object | undefined, nicer: number]> = [
  ['whole-cpu', { requests: { cpu: '1' } }, 0],
  ['half-cpu', { requests: { cpu: '500m' }, limits: { cpu: '2' } }, 3],
  ['limit-only', { limits: { cpu: '1' } }, 0],
  ['best-effort', undefined, 10],
];

beforeAll(async () => {
  t = await startTestEngine();
  for (const [name, resources] of pods)
    await t.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name },
        spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'], resources }] },
      }),
    });
  const phase = (n: string) => t.engine.ctx.store.get('pods', 'default', n)?.status?.phase;
  await waitFor(() => pods.every(([n]) => phase(n) === 'Running'), 30_000, 'pods Running');
});
afterAll(async () => t?.stop());

/** Field 19 of /proc/PID/stat: the niceness (after the command name, which may hold spaces). */
function niceOf(stat: string): number {
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

describe.skipIf(process.env.SKIFF_POD_NICENESS !== undefined)('CPU weight from requests', () => {
  it.each(pods)('%s (%j): kubectl exec runs %i nicer than the engine', async (name, _resources, nicer) => {
    const { stdout } = await t.kubectl(['exec', name, '--', 'cat', '/proc/self/stat']);
    expect(niceOf(stdout)).toBe(Math.min(19, getPriority() + nicer));
  });
});
