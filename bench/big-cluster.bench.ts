// The TUI on a big cluster, through the fault-injecting API proxy (test/helpers/fault-proxy.ts)
// serving 50,000 synthesized pods (copies of a recorded one) from an API-only engine: first paint,
// all rows counted, the TUI's memory; and the bytes a pod list costs on the wire with and without
// gzip (the proxy compresses as kube-apiserver does, from 128 KiB).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestEngine, type TestEngine } from '../test/helpers/engine.ts';
import { startFaultProxy, type FaultProxy } from '../test/helpers/fault-proxy.ts';
import { spawnTui } from '../test/e2e/pty.ts';
import { rssMiB } from './child.ts';
import { summarize, type Figure } from './lib.ts';

const PODS = Number(process.env.SKIFF_BENCH_BIG_PODS ?? 50_000);
const RUNS = Number(process.env.SKIFF_BENCH_BIG_RUNS ?? 3);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Run {
  headerMs: number;
  firstRowMs: number;
  allCountedMs: number;
  rssMiB: number;
  peakRssMiB: number;
  podListBytes: number;
}

async function tuiRun(te: TestEngine, proxy: FaultProxy, gzip: boolean): Promise<Run> {
  const home = mkdtempSync(join(tmpdir(), 'skiff-bench-big-home-'));
  const before = proxy.requests.length;
  const env: Record<string, string> = { HOME: home };
  if (!gzip) env.SKIFF_DISABLE_COMPRESSION = '1';
  const t0 = performance.now();
  const tui = spawnTui(['--kubeconfig', proxy.kubeconfigPath, '-A'], { cols: 200, rows: 60, env });
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, rssMiB(tui.pid));
    } catch {
      // exited
    }
  }, 100);
  try {
    await tui.waitFor('Context:', 120_000);
    const headerMs = performance.now() - t0;
    await tui.waitFor(/synthetic-\d{5}/, 120_000);
    const firstRowMs = performance.now() - t0;
    await tui.waitFor(`Pods(all)[${PODS}]`, 300_000);
    const allCountedMs = performance.now() - t0;
    await tui.waitQuiet(500);
    await sleep(2000);
    const rss = rssMiB(tui.pid);
    const podListBytes = proxy.requests
      .slice(before)
      .filter((r) => r.resource === 'pods' && !r.watch)
      .reduce((a, r) => a + r.bytes, 0);
    await tui.press('q');
    return { headerMs, firstRowMs, allCountedMs, rssMiB: rss, peakRssMiB: Math.max(peak, rss), podListBytes };
  } finally {
    clearInterval(sampler);
    tui.kill();
    rmSync(home, { recursive: true, force: true });
  }
}

export async function run(): Promise<Figure[]> {
  const te = await startTestEngine({ apiOnly: true });
  try {
    await te.kubectl(['run', 'template', '--image=nginx']);
    const proxy = await startFaultProxy(te, { syntheticPods: PODS });
    try {
      const runs: Run[] = [];
      const plain: Run[] = [];
      for (let i = 0; i < RUNS; i++) {
        runs.push(await tuiRun(te, proxy, true));
        plain.push(await tuiRun(te, proxy, false));
      }
      const pods = PODS.toLocaleString('en-US');
      const via = 'through the fault proxy (synthesized pods)';
      const mib = (b: number) => b / 1024 / 1024;
      return [
        summarize(
          `TUI first paint: spawn → first pod row, ${pods} pods`,
          's',
          runs.map((r) => r.firstRowMs / 1000),
          { anchor: 'goal < 3 s', note: via },
        ),
        summarize(
          `TUI spawn → first frame (header), ${pods} pods through the proxy`,
          's',
          runs.map((r) => r.headerMs / 1000),
        ),
        summarize(
          `TUI spawn → all ${pods} pods counted`,
          's',
          runs.map((r) => r.allCountedMs / 1000),
          { note: via },
        ),
        summarize(
          `TUI RSS with ${pods} pods listed`,
          'MiB',
          runs.map((r) => r.rssMiB),
          { anchor: 'goal < 300 MB', note: via },
        ),
        summarize(
          `TUI peak RSS while listing ${pods} pods`,
          'MiB',
          runs.map((r) => r.peakRssMiB),
          { note: 'sampled every 100 ms' },
        ),
        summarize(
          `Pod list of ${pods} pods on the wire, gzip`,
          'MiB',
          runs.map((r) => mib(r.podListBytes)),
          { note: 'pages of 500, Table + objects' },
        ),
        summarize(
          `Pod list of ${pods} pods on the wire, no compression`,
          'MiB',
          plain.map((r) => mib(r.podListBytes)),
          { note: 'SKIFF_DISABLE_COMPRESSION=1' },
        ),
        summarize(
          `TUI first paint without compression, ${pods} pods`,
          's',
          plain.map((r) => r.firstRowMs / 1000),
        ),
      ];
    } finally {
      await proxy.close();
    }
  } finally {
    await te.stop();
  }
}
