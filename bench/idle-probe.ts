// A probe, not a benchmark: an idle TUI on a small table (3 fresh pods, `-n demo`, 160×45) or N
// pods (`SKIFF_IDLE_PODS`, `-A`, 200×60), one TUI per checkout in SKIFF_PROBE_ROOTS, alternating
// for SKIFF_IDLE_ROUNDS rounds; prints idle CPU, bytes/s and frames/s of each. SKIFF_PROBE_NODE_ARGS
// passes node flags (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
// Run: npx tsx bench/idle-probe.ts
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine } from '../source/engine/engine.ts';
import { spawnTui } from '../test/e2e/pty.ts';
import { benchHome, cpuSeconds } from './child.ts';

const PODS = Number(process.env.SKIFF_IDLE_PODS ?? 0);
const IDLE_MS = Number(process.env.SKIFF_PROBE_IDLE_MS ?? 10_000);
const ROUNDS = Number(process.env.SKIFF_IDLE_ROUNDS ?? 1);
const WARM_MS = Number(process.env.SKIFF_IDLE_WARM_MS ?? 1500);
const roots = (process.env.SKIFF_PROBE_ROOTS ?? join(import.meta.dirname, '..')).split(',');
const nodeArgs = (process.env.SKIFF_PROBE_NODE_ARGS ?? '').split(' ').filter(Boolean);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const BSU = '\x1b[?2026h';

/** CPU seconds by thread name (main thread, V8 workers, libuv pool …). */
function threads(pid: number): Map<string, number> {
  const m = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = tid === String(pid) ? 'main' : `${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}-${tid}`;
      const f = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      m.set(name, (m.get(name) ?? 0) + (Number(f[11]) + Number(f[12])) / 100);
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
      await tui.waitFor(PODS ? `Pods(all)[${PODS}]` : 'Pods(demo)[3]', 300_000);
      await sleep(WARM_MS);
      await tui.waitQuiet(500);
      const i0 = tui.output().length;
      const c0 = cpuSeconds(tui.pid);
      const t0 = threads(tui.pid);
      const w0 = performance.now();
      await sleep(IDLE_MS);
      const secs = (performance.now() - w0) / 1000;
      const out = tui.output().slice(i0);
      console.log(
        JSON.stringify({
          root,
          round,
          idleCpu: Math.round((1000 * (cpuSeconds(tui.pid) - c0)) / secs) / 10,
          bytesPerS: Math.round((10 * Buffer.byteLength(out)) / secs) / 10,
          fps: Math.round((100 * (out.split(BSU).length - 1)) / secs) / 100,
          threads: Object.fromEntries(
            [...threads(tui.pid)]
              .map(([k, v]) => [k, Math.round((1000 * (v - (t0.get(k) ?? 0))) / secs) / 10] as const)
              .filter(([, v]) => v > 0),
          ),
        }),
      );
      if (process.env.SKIFF_IDLE_DUMP) console.log(JSON.stringify(out.split(BSU).slice(-3)));
      // With --trace-gc in SKIFF_PROBE_NODE_ARGS: the collections during the idle window.
      for (const gc of out.match(/\[\d+:0x[0-9a-f]+\][^\r\n]*/g) ?? []) console.log(gc);
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
