// A probe, not a benchmark: N pre-bound pods in an API-only engine, one TUI (optionally another
// checkout's, SKIFF_PROBE_ROOT) on `-A`; prints the time to the first row and to all counted, and
// RSS after the idle window, and the TUI's CPU seconds at each point (less load-sensitive than the
// times). SKIFF_PROBE_ROUNDS alternates the checkouts round by round. SKIFF_PROBE_NODE_ARGS passes
// node flags (e.g. `--cpu-prof --heapsnapshot-signal=SIGUSR2`); SKIFF_PROBE_SNAPSHOT=1 takes a heap
// snapshot (SIGUSR2) at the end.
// Run: npx tsx bench/tui-probe.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine } from '../source/engine/engine.ts';
import { spawnTui } from '../test/e2e/pty.ts';
import { benchHome, cpuSeconds, rssMiB } from './child.ts';

const PODS = Number(process.env.SKIFF_PROBE_PODS ?? 5000);
const IDLE_MS = Number(process.env.SKIFF_PROBE_IDLE_MS ?? 10_000);
const roots = (process.env.SKIFF_PROBE_ROOTS ?? join(import.meta.dirname, '..')).split(',');
const nodeArgs = (process.env.SKIFF_PROBE_NODE_ARGS ?? '').split(' ').filter(Boolean);
const ROUNDS = Number(process.env.SKIFF_PROBE_ROUNDS ?? 1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const home = benchHome('tui-probe');
const e = await startEngine({ home, port: 0, apiOnly: true, log: () => {} });
for (let n = 0; n < 10; n++) e.ctx.store.create('namespaces', { metadata: { name: `ns-${n}` } });
for (let i = 0; i < PODS; i++) {
  e.ctx.store.create('pods', {
    metadata: { name: `load-${String(i).padStart(5, '0')}`, namespace: `ns-${i % 10}`, labels: { app: `a${i % 50}` } },
    spec: {
      nodeName: `node${1 + (i % 2)}`,
      containers: [{ name: 'c', image: 'nginx:1.25', resources: { requests: { cpu: '100m', memory: '64Mi' } } }],
    },
  });
}
const count = PODS.toString();
for (let round = 0; round < ROUNDS; round++)
  for (const root of roots) {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-probe-home-'));
    const t0 = performance.now();
    const tui = spawnTui(['--kubeconfig', e.kubeconfigPath, '-A'], {
      cols: 200,
      rows: 60,
      root,
      nodeArgs,
      env: { HOME: dir, SKIFF_DIST: '1' },
    });
    try {
      await tui.waitFor(() => tui.output().includes('\x1b[?2026l'), 60_000); // a whole frame arrived
      const frame = performance.now() - t0;
      const frameCpu = cpuSeconds(tui.pid);
      await tui.waitFor('Context:', 60_000);
      const header = performance.now() - t0;
      const headerCpu = cpuSeconds(tui.pid);
      await tui.waitFor(/load-\d{5}/, 120_000);
      const first = performance.now() - t0;
      const firstCpu = cpuSeconds(tui.pid);
      await tui.waitFor(`Pods(all)[${count}]`, 300_000);
      const all = performance.now() - t0;
      const allCpu = cpuSeconds(tui.pid);
      await sleep(2000);
      const c0 = cpuSeconds(tui.pid);
      const w0 = performance.now();
      await sleep(IDLE_MS);
      const cpu = (100 * (cpuSeconds(tui.pid) - c0)) / ((performance.now() - w0) / 1000);
      console.log(
        JSON.stringify({
          root,
          round,
          pods: PODS,
          frameS: frame / 1000,
          headerS: header / 1000,
          firstRowS: first / 1000,
          allCountedS: all / 1000,
          cpuS: { frame: frameCpu, header: headerCpu, firstRow: firstCpu, allCounted: allCpu },
          idleCpu: cpu,
          rssMiB: rssMiB(tui.pid),
        }),
      );
      if (process.env.SKIFF_PROBE_SNAPSHOT) {
        process.kill(tui.pid, 'SIGUSR2');
        await sleep(Number(process.env.SKIFF_PROBE_SNAPSHOT_WAIT_MS ?? 30_000));
      }
      await tui.press('q');
      await sleep(500);
    } finally {
      tui.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  }
await e.stop();
rmSync(home, { recursive: true, force: true });
process.exit(0);
