import { readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../source/engine/runtime/index.ts';
import { DEFAULT_POD_NICENESS, nicenessForRequest, podNiceness } from '../../../source/engine/runtime/niceness.ts';
import { groupMembers } from '../../../source/engine/runtime/process-group.ts';
import { detectSandbox } from '../../../source/engine/runtime/sandbox.ts';
import { podIP, tempRuntime, uid, waitFor } from './helpers.ts';

const bwrap = (await detectSandbox('auto')).available;

/** Field 19 of /proc/PID/stat: the niceness (after the command name, which may hold spaces). */
function niceOf(stat: string): number {
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

function text(stream: Readable | null): { value: () => string } {
  let out = '';
  stream?.on('data', (d) => (out += d.toString()));
  return { value: () => out };
}

/** The niceness an exec session in container `c` of `pod` runs at, as it reads it itself. */
async function execNiceness(rt: Runtime, pod: string): Promise<number> {
  const s = rt.exec({ podUid: pod, container: 'c', command: ['cat', '/proc/self/stat'] });
  const out = text(s.stdout);
  expect(await s.exited).toMatchObject({ exitCode: 0 });
  await waitFor(() => out.value().endsWith('\n'));
  return niceOf(out.value());
}

describe('SKIFF_POD_NICENESS', () => {
  it('unset leaves it to each CPU request, takes 0…19, refuses anything else with the setting named', () => {
    expect(podNiceness({})).toBeUndefined();
    expect(podNiceness({ SKIFF_POD_NICENESS: '' })).toBeUndefined();
    expect(podNiceness({ SKIFF_POD_NICENESS: '0' })).toBe(0);
    expect(podNiceness({ SKIFF_POD_NICENESS: ' 19 ' })).toBe(19);
    for (const bad of ['-5', '20', '3.5', 'high'])
      expect(() => podNiceness({ SKIFF_POD_NICENESS: bad })).toThrow(
        `SKIFF_POD_NICENESS=${bad}: expected a whole number from 0 to 19`,
      );
  });
});

describe('niceness from a CPU request (cpu.shares = millicores × 1024 / 1000)', () => {
  it('a whole CPU or more weighs what the engine does; less is nicer, down to the default for BestEffort', () => {
    expect(DEFAULT_POD_NICENESS).toBe(10);
    expect(nicenessForRequest(4000)).toBe(0);
    expect(nicenessForRequest(1000)).toBe(0);
    expect(nicenessForRequest(800)).toBe(1);
    expect(nicenessForRequest(500)).toBe(3);
    expect(nicenessForRequest(250)).toBe(6);
    expect(nicenessForRequest(100)).toBe(10);
    expect(nicenessForRequest(10)).toBe(DEFAULT_POD_NICENESS);
    expect(nicenessForRequest(0)).toBe(DEFAULT_POD_NICENESS);
  });
});

/** A busybox container `c` of pod `pod` running `args`. */
function startBusybox(rt: Runtime, pod: string, args: string[], cpuRequest?: number) {
  return rt.start({ podUid: pod, podName: 'nice', container: 'c', image: 'busybox', podIP: podIP(), args, cpuRequest });
}

describe.skipIf(process.env.SKIFF_POD_NICENESS !== undefined)('no setting: each container at its request', () => {
  let rt: Runtime;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ rt, cleanup } = await tempRuntime({ sandbox: 'none' }));
  });
  afterAll(() => cleanup());

  it.each([
    [1000, 0],
    [500, 3],
    [undefined, 10],
  ])('requests.cpu %s millicores: the container and an exec session run %i nicer than the engine', async (cpu, n) => {
    const pod = uid();
    const c = await startBusybox(rt, pod, ['sleep', '600'], cpu);
    const expected = Math.min(19, getPriority() + n);
    // `nice` sets the niceness, then execs sleep in place: read it once sleep runs.
    const stat = () => readFileSync(`/proc/${c.pid}/stat`, 'utf8');
    await waitFor(() => stat().includes('(sleep)'));
    expect(niceOf(stat())).toBe(expected);
    expect(await execNiceness(rt, pod)).toBe(expected);
    await c.stop(5_000);
  });
});

for (const mode of ['bwrap', 'none'] as const) {
  for (const niceness of [7, 0]) {
    describe.skipIf(mode === 'bwrap' && !bwrap)(`niceness ${niceness} (sandbox: ${mode})`, () => {
      let rt: Runtime;
      let cleanup: () => Promise<void>;
      const expected = Math.min(19, getPriority() + niceness);
      beforeAll(async () => {
        ({ rt, cleanup } = await tempRuntime({ sandbox: mode === 'bwrap' ? 'auto' : 'none', niceness }));
      });
      afterAll(() => cleanup());

      it('every process of the container, and an exec session, runs that much nicer than the engine', async () => {
        const pod = uid();
        const c = await startBusybox(rt, pod, ['sh', '-c', 'sleep 600 & wait']);
        // The sandbox's leader, the shell and its child: all of the group, read on the host.
        const atLeast = mode === 'bwrap' ? 3 : 2;
        await waitFor(() => groupMembers(c.pid!).length >= atLeast);
        const pids = groupMembers(c.pid!);
        for (const pid of pids) expect(niceOf(readFileSync(`/proc/${pid}/stat`, 'utf8')), `pid ${pid}`).toBe(expected);

        expect(await execNiceness(rt, pod)).toBe(expected);
        await c.stop(5_000);
      });
    });
  }
}
