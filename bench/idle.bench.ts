// CPU the engine burns with nothing to do: the default cluster (3 nodes, kube-system workloads)
// after it settled, over 10 s windows, from /proc/PID/stat (utime + stime).
import { rmSync } from 'node:fs';
import { benchHome, childEngine, cpuSeconds, rssMiB } from './child.ts';
import { summarize, type Figure } from './lib.ts';

const WINDOW_S = 10;
const WINDOWS = Number(process.env.SKIFF_BENCH_IDLE_WINDOWS ?? 3);

export async function run(): Promise<Figure[]> {
  const home = benchHome('idle');
  const e = await childEngine(home);
  try {
    await new Promise((r) => setTimeout(r, 10_000));
    const cpu: number[] = [];
    const rss: number[] = [];
    for (let i = 0; i < WINDOWS; i++) {
      const c0 = cpuSeconds(e.pid);
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
      cpu.push((100 * (cpuSeconds(e.pid) - c0)) / ((performance.now() - t0) / 1000));
      rss.push(rssMiB(e.pid));
    }
    return [
      summarize(`engine CPU, idle cluster (${WINDOW_S} s windows)`, '% of a core', cpu, {
        anchor: 'k3s server + 1 agent ≈ 5 % of a core (docs.k3s.io)',
      }),
      summarize('engine RSS, idle default cluster', 'MiB', rss),
    ];
  } finally {
    await e.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
