// Not part of `npm run bench`: `kubectl scale` 0 → N (env N, default 1,000) built-in nginx replicas
// on an engine in this process; prints the wall time to all Ready and the engine's CPU seconds.
// PROF=FILE.cpuprofile writes a CPU profile of just the scale (not start-up or teardown), ALLOC=FILE.heapprofile
// a sampling allocation profile of it;
// EVENTS=1 prints how many Event objects exist at the end; TIMELINE=1 when the 10/50/90/100th
// percentile pod was created, bound, running (status) and Ready, in seconds from the scale. `main` is the engine thread's own CPU
// (/proc, Linux), without the I/O pool's and GC helpers' threads.
// RUNS=n: n engines one after another in this process (the later ones with compiled code), each printed.
import { execa } from 'execa';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { startEngine } from '../source/engine/engine.ts';
import { scaleHome } from './scale-home.ts';

const N = Number(process.env.N ?? 1000);
/** One engine, warmed up, then the measured scale; later runs reuse this process's compiled code (as `workloads.bench.ts`'s three do). */
async function once(last: boolean): Promise<void> {
  const home = scaleHome(N, 'skiff-probe-');
  const kubeHome = mkdtempSync(join(tmpdir(), 'skiff-probe-kube-'));
  process.env.SKIFF_PULL_DELAY_MS = '100';
  let t = performance.now();
  const e = await startEngine({ home, port: 0, timeScale: 1, log: () => {} });
  console.log('start', ((performance.now() - t) / 1000).toFixed(2));
  const env = { HOME: kubeHome, KUBECONFIG: e.kubeconfigPath, PATH: process.env.PATH };
  const k = async (...a: string[]) => (await execa('/usr/bin/kubectl', a, { env, extendEnv: false })).stdout;
  await k('create', 'deployment', 'warm', '--image=nginx', '--replicas=2');
  await k('rollout', 'status', 'deployment/warm', '--timeout=60s');
  await k('create', 'deployment', 'bench', '--image=nginx', '--replicas=0');
  const ready = () => e.ctx.store.get('deployments.apps', 'default', 'bench')?.status?.readyReplicas ?? 0;
  /** CPU seconds of this process's main thread (utime + stime of its task in /proc). */
  const mainThreadCpu = () => {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  };
  /** [on-CPU, waiting for a CPU] seconds of the main thread (/proc schedstat). */
  const mainSched = () => {
    const f = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ');
    return [Number(f[0]) / 1e9, Number(f[1]) / 1e9];
  };
  /** CPU seconds per thread name of this process (THREADS=1). */
  const threadCpu = () => {
    const by = new Map<string, number>();
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        const comm = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const name = tid === String(process.pid) ? 'main' : `${comm}:${tid}`;
        by.set(`${name} user`, Number(f[11]) / 100);
        by.set(`${name} sys`, Number(f[12]) / 100);
      } catch {
        // the thread ended
      }
    }
    return by;
  };
  const sess = new Session();
  if (process.env.PROF && last) {
    sess.connect();
    await sess.post('Profiler.enable');
    await sess.post('Profiler.setSamplingInterval', { interval: 500 });
    await sess.post('Profiler.start');
  }
  if (process.env.ALLOC && last) {
    sess.connect();
    await sess.post('HeapProfiler.startSampling', {
      samplingInterval: 16384,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  }
  const stages = { created: [] as number[], bound: [] as number[], running: [] as number[], ready: [] as number[] };
  const seen = new Map<string, Set<keyof typeof stages>>();
  const timeline = process.env.TIMELINE
    ? e.ctx.store.watch('pods', {}, (ev) => {
        const p = ev.object;
        if (!p.metadata.name?.startsWith('bench-') || ev.type === 'DELETED') return;
        const at = (performance.now() - t) / 1000;
        const got = seen.get(p.metadata.uid!) ?? new Set();
        seen.set(p.metadata.uid!, got);
        const mark = (k: keyof typeof stages, yes: boolean) => {
          if (yes && !got.has(k)) got.add(k) && stages[k].push(at);
        };
        mark('created', true);
        mark('bound', !!p.spec?.nodeName);
        mark('running', p.status?.phase === 'Running');
        mark(
          'ready',
          !!p.status?.conditions?.some(
            (c: { type?: string; status?: string }) => c?.type === 'Ready' && c.status === 'True',
          ),
        );
      })
    : undefined;
  t = performance.now();
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpu();
  const sched0 = mainSched();
  const threads0 = threadCpu();
  await k('scale', 'deployment', 'bench', `--replicas=${N}`);
  while (ready() < N) await new Promise((r) => setTimeout(r, 50));
  const s = (performance.now() - t) / 1000;
  const c = process.cpuUsage(cpu0);
  const main = mainThreadCpu() - main0;
  const elu = performance.eventLoopUtilization(elu0);
  const sched = mainSched().map((v, i) => v - sched0[i]!);
  if (process.env.PROF && last) {
    const { profile } = await sess.post('Profiler.stop');
    writeFileSync(process.env.PROF, JSON.stringify(profile));
  }
  if (process.env.ALLOC && last) {
    const { profile } = await sess.post('HeapProfiler.stopSampling');
    writeFileSync(process.env.ALLOC, JSON.stringify(profile));
  }
  console.log(
    `scale 0→${N}: ${s.toFixed(2)} s, ${(N / s).toFixed(0)} pods/s, cpu ${((c.user + c.system) / 1e6).toFixed(2)} s, main ${main.toFixed(2)} s, loop busy ${(elu.utilization * 100).toFixed(0)} %, runqueue wait ${sched[1]!.toFixed(2)} s`,
  );
  timeline?.stop();
  if (process.env.THREADS)
    for (const [name, v] of threadCpu()) {
      const d = v - (threads0.get(name) ?? 0);
      if (d >= 0.01) console.log('thread', name.padEnd(16), d.toFixed(2));
    }
  for (const [k, v] of Object.entries(stages))
    if (v.length)
      console.log(
        k.padEnd(8),
        (process.env.TIMELINE === '2' ? [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1] : [0.1, 0.5, 0.9, 1])
          .map((q) => v[Math.ceil(q * v.length) - 1]!.toFixed(2))
          .join(' '),
      );
  if (process.env.EVENTS) console.log('events', e.ctx.store.list('events').items.length);
  await e.stop();
  rmSync(home, { recursive: true, force: true });
  rmSync(kubeHome, { recursive: true, force: true });
}

const RUNS = Number(process.env.RUNS ?? 1);
for (let i = 0; i < RUNS; i++) await once(i === RUNS - 1);
process.exit(0);
