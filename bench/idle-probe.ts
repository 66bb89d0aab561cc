// A probe, not a benchmark: an idle TUI on a small table (3 fresh pods, `-n demo`, 160×45) or N
// pods (`SKIFF_IDLE_PODS`, `-A`, 200×60), one TUI per checkout in SKIFF_PROBE_ROOTS, alternating
// for SKIFF_IDLE_ROUNDS rounds; prints idle CPU, bytes/s and frames/s of each, and the idle CPU of
// each of SKIFF_IDLE_WINDOWS consecutive windows (default 1; more show when start-up's leftovers,
// V8's background compiles and collections, stop). SKIFF_PROBE_NODE_ARGS passes node flags (e.g.
// `--cpu-prof --cpu-prof-dir=/tmp/prof`).
// Run: npx tsx bench/idle-probe.ts
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine } from '../source/engine/engine.ts';
import { spawnTui } from '../test/e2e/pty.ts';
import { benchHome } from './child.ts';

const PODS = Number(process.env.SKIFF_IDLE_PODS ?? 0);
const IDLE_MS = Number(process.env.SKIFF_PROBE_IDLE_MS ?? 10_000);
const ROUNDS = Number(process.env.SKIFF_IDLE_ROUNDS ?? 1);
const WARM_MS = Number(process.env.SKIFF_IDLE_WARM_MS ?? 1500);
const WINDOWS = Number(process.env.SKIFF_IDLE_WINDOWS ?? 1);
const roots = (process.env.SKIFF_PROBE_ROOTS ?? join(import.meta.dirname, '..')).split(',');
const nodeArgs = (process.env.SKIFF_PROBE_NODE_ARGS ?? '').split(' ').filter(Boolean);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const BSU = '\x1b[?2026h';

/**
 * CPU seconds by thread name (main thread, V8 workers, libuv pool …), from the scheduler's
 * nanosecond count (/proc/…/schedstat): /proc/…/stat counts 10 ms ticks, coarse for an idle TUI.
 */
function threads(pid: number): Map<string, number> {
  const m = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = tid === String(pid) ? 'main' : `${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}-${tid}`;
      const ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      m.set(name, (m.get(name) ?? 0) + ns / 1e9);
    } catch {
      // the thread ended
    }
  }
  return m;
}

const home = benchHome('idle-probe');
const e = await startEngine({ home, port: 0, apiOnly: true, log: () => {} });
if (PODS) {
  for (let n = 0; n < 10; n++) e.ctx.store.create('namespaces', { metadata: { name: `ns-${n}` } });
  for (let i = 0; i < PODS; i++)
    e.ctx.store.create('pods', {
      metadata: { name: `load-${String(i).padStart(5, '0')}`, namespace: `ns-${i % 10}` },
      spec: { nodeName: `node${1 + (i % 2)}`, containers: [{ name: 'c', image: 'nginx:1.25' }] },
    });
} else {
  e.ctx.store.create('namespaces', { metadata: { name: 'demo' } });
  for (const name of ['web-1', 'web-2', 'db-0'])
    e.ctx.store.create('pods', {
      metadata: { name, namespace: 'demo' },
      spec: { nodeName: 'node1', containers: [{ name: 'c', image: 'nginx:1.25' }] },
    });
}
for (let round = 0; round < ROUNDS; round++)
  for (const root of roots) {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-idle-probe-home-'));
    const tui = spawnTui(['--kubeconfig', e.kubeconfigPath, ...(PODS ? ['-A'] : ['-n', 'demo'])], {
      cols: PODS ? 200 : 160,
      rows: PODS ? 60 : 45,
      root,
      nodeArgs,
      env: { HOME: dir, SKIFF_DIST: '1' },
    });
    try {
      // --trace-gc prints into the terminal: a line at the bottom scrolls the screen, which the
      // TUI does not redraw whole (it writes changed cells), so the emulated screen no longer
      // shows the title; then the first row's name is looked for in what the TUI wrote.
      if (nodeArgs.includes('--trace-gc')) {
        const first = PODS ? 'load-00000' : 'db-0';
        for (const deadline = Date.now() + 300_000; !tui.output().includes(first); await sleep(50))
          if (Date.now() > deadline) throw new Error(`timed out waiting for the row ${first}`);
      } else await tui.waitFor(PODS ? `Pods(all)[${PODS}]` : 'Pods(demo)[3]', 300_000);
      await sleep(WARM_MS);
      await tui.waitQuiet(500);
      const i0 = tui.output().length;
      const cpu = () => [...threads(tui.pid).values()].reduce((a, b) => a + b, 0);
      const c0 = cpu();
      const t0 = threads(tui.pid);
      const w0 = performance.now();
      const windows: number[] = [];
      const byThread: Array<Record<string, number>> = [];
      for (let w = 0, c = c0, t = w0, th = t0; w < WINDOWS; w++) {
        await sleep(IDLE_MS);
        const [c1, t1, th1] = [cpu(), performance.now(), threads(tui.pid)];
        windows.push(Math.round((1000 * (c1 - c)) / ((t1 - t) / 1000)) / 10);
        byThread.push(
          Object.fromEntries(
            [...th1]
              .map(([k, v]) => [k, Math.round((10000 * (v - (th.get(k) ?? 0))) / ((t1 - t) / 1000)) / 100] as const)
              .filter(([, v]) => v > 0),
          ),
        );
        [c, t, th] = [c1, t1, th1];
      }
      const secs = (performance.now() - w0) / 1000;
      const out = tui.output().slice(i0);
      console.log(
        JSON.stringify({
          root,
          round,
          idleCpu: Math.round((1000 * (cpu() - c0)) / secs) / 10,
          ...(WINDOWS > 1 ? { windows, byThread } : {}),
          bytesPerS: Math.round((10 * Buffer.byteLength(out)) / secs) / 10,
          fps: Math.round((100 * (out.split(BSU).length - 1)) / secs) / 100,
          threads: Object.fromEntries(
            [...threads(tui.pid)]
              .map(([k, v]) => [k, Math.round((10000 * (v - (t0.get(k) ?? 0))) / secs) / 100] as const)
              .filter(([, v]) => v > 0),
          ),
        }),
      );
      if (process.env.SKIFF_IDLE_DUMP) console.log(JSON.stringify(out.split(BSU).slice(-3)));
      // With --trace-gc in SKIFF_PROBE_NODE_ARGS: the collections, those before the idle window marked.
      const gcs = (text: string) => text.match(/\[\d+:0x[0-9a-f]+\][^\r\n]*/g) ?? [];
      for (const gc of gcs(tui.output().slice(0, i0))) console.log(`before the window: ${gc}`);
      for (const gc of gcs(out)) console.log(gc);
      await tui.press('q');
      await sleep(1500);
    } finally {
      tui.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  }
await e.stop();
rmSync(home, { recursive: true, force: true });
process.exit(0);
