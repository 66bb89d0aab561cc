// The metrics pipeline's own cost at 1,000 running pods (950 built-in nginx, 50 host processes):
// the CPU time of one sampling pass, what that is as a share of a core at the 10 s resolution,
// and the engine's CPU with the sampler on vs off, alternating windows in the same run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KObject } from '../source/api-types/index.ts';
import { startEngine, type Engine } from '../source/engine/engine.ts';
import { METRICS_RESOLUTION_SECONDS, type MetricsSampler } from '../source/engine/metrics/sampler.ts';
import { summarize, type Figure } from './lib.ts';

const NODES = ['node1', 'node2'];
const PODS = Number(process.env.SKIFF_BENCH_METRICS_PODS ?? 1000);
const PROCESS_PODS = Math.min(50, Math.round(PODS / 20));
const WINDOW_MS = Number(process.env.SKIFF_BENCH_METRICS_WINDOW_S ?? 30) * 1000;
const ROUNDS = Number(process.env.SKIFF_BENCH_METRICS_ROUNDS ?? 3);
const PASSES = 20;

const CLUSTER = `serviceCIDR: 127.96.0.0/16
nodePortRange: 30000-32767
nodes:
${NODES.map((n, i) => `  - {name: ${n}, role: worker, ip: 127.0.1.${i + 2}, podCIDR: 127.244.${(i + 1) * 4}.0/22, cpu: "64", memory: 256Gi, pods: "1000"}`).join('\n')}
`;

const isReady = (p: KObject) =>
  p.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');

async function startPods(e: Engine): Promise<void> {
  const store = e.ctx.store;
  for (let i = 0; i < PODS; i++) {
    const container =
      i < PROCESS_PODS
        ? { name: 'sleep', image: 'busybox:1.36', command: ['sleep', '3600'] }
        : { name: 'nginx', image: 'nginx:1.25' };
    store.create('pods', {
      metadata: { name: `p-${i}`, namespace: 'default', labels: { bench: 'metrics' } },
      spec: { nodeName: NODES[i % NODES.length], containers: [container] },
    });
  }
  const deadline = Date.now() + 180_000;
  while (store.list('pods', { labelSelector: 'bench=metrics' }).items.filter(isReady).length < PODS) {
    if (Date.now() > deadline) throw new Error('pods not Ready in 180 s');
    await new Promise((r) => setTimeout(r, 500));
  }
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run(): Promise<Figure[]> {
  const home = mkdtempSync(join(tmpdir(), 'skiff-bench-metrics-'));
  writeFileSync(join(home, 'cluster.yaml'), CLUSTER);
  const e = await startEngine({ home, port: 0, timeScale: 1, log: () => {} });
  try {
    await startPods(e);
    const sampler = e.ctx.metrics as MetricsSampler;
    // One pass, measured directly.
    const pass: number[] = [];
    for (let i = 0; i < PASSES; i++) {
      const t0 = process.cpuUsage();
      sampler.sample();
      pass.push(cpuMs(process.cpuUsage(t0)));
      await sleep(50);
    }
    if (sampler.pods().length < PODS * 0.9) throw new Error(`only ${sampler.pods().length} pods measured`);
    const share = pass.map((ms) => (100 * ms) / (METRICS_RESOLUTION_SECONDS * 1000));
    // The whole engine, sampler on and off in alternating windows.
    const on: number[] = [];
    const off: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const running of round % 2 ? [false, true] : [true, false]) {
        if (running) sampler.start(e.ctx);
        else sampler.stop();
        const t0 = process.cpuUsage();
        const w0 = performance.now();
        await sleep(WINDOW_MS);
        (running ? on : off).push((100 * cpuMs(process.cpuUsage(t0))) / (performance.now() - w0));
      }
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // Each round's on window minus its off window (adjacent in time, so they share the machine's load).
    const diff = on.map((x, i) => x - off[i]!);
    return [
      summarize(`metrics: one sampling pass over ${PODS} running pods`, 'ms CPU', pass),
      summarize(
        `metrics: pipeline cost at ${PODS} pods (one pass per ${METRICS_RESOLUTION_SECONDS} s)`,
        '% of a core',
        share,
        { anchor: 'goal < 2 %' },
      ),
      summarize(`metrics: engine CPU with ${PODS} pods, sampler on`, '% of a core', on, {
        note: `sampler off: median ${med(off).toFixed(2)} %; ${(WINDOW_MS / 1000).toFixed(0)} s windows alternating`,
      }),
      summarize(`metrics: engine CPU with ${PODS} pods, sampler on − off`, 'percentage points of a core', diff, {
        anchor: 'goal < 2 %',
        note: `${ROUNDS} pairs of adjacent ${(WINDOW_MS / 1000).toFixed(0)} s windows`,
      }),
    ];
  } finally {
    await e.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
