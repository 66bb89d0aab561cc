// The TUI as a user runs it: `bin/skiff.js` in a pty, read through a headless xterm
// (test/e2e/pty.ts). Part 1: 5,000 pods in an API-only engine in this process (no kubelets or
// controllers, so the pods are created pre-bound through the store and stay Pending): first paint,
// keypress → frame under 20 writes/s, bytes per frame, idle CPU. Part 2: a full engine as its own
// process running a host-process pod that logs ~1,000 lines/s, followed for 30 s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine, type Engine } from '../source/engine/engine.ts';
import { KEY, spawnTui, type Tui } from '../test/e2e/pty.ts';
import { benchHome, childEngine, cpuSeconds, rssMiB } from './child.ts';
import { percentile, summarize, type Figure } from './lib.ts';

const PODS = Number(process.env.SKIFF_BENCH_TUI_PODS ?? 5000);
const RUNS = Number(process.env.SKIFF_BENCH_TUI_RUNS ?? 3);
const KEYS = 40;
const LOG_SECONDS = Number(process.env.SKIFF_BENCH_LOG_SECONDS ?? 30);
// A 10,000-line ring fills in ~10 s, so the last 20 s show whether memory is flat once it is full
// (the default ring of 100,000 lines would still be filling at 30 s).
const LOG_LINES = process.env.SKIFF_BENCH_LOG_LINES ?? '10000';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const BSU = '\x1b[?2026h'; // Ink opens every frame with this (synchronized output)
const frames = (s: string) => s.split(BSU).length - 1;
const r1 = (x: number) => Math.round(x * 10) / 10;

function tuiHome(): string {
  return mkdtempSync(join(tmpdir(), 'skiff-bench-tui-home-'));
}

/** Press a key and resolve with the ms until the parsed screen shows the selection on `row`. */
function keyToFrame(tui: Tui, key: string, row: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const done = () => {
      if (tui.highlightedRows()[0] !== row) return;
      sub.dispose();
      clearTimeout(timer);
      resolve(performance.now() - t0);
    };
    const sub = tui.term.onWriteParsed(done);
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`selection never reached row ${row}; screen:\n${tui.screen()}`));
    }, 5000);
    void tui.press(key); // writes synchronously, then idles 30 ms
  });
}

const pod = (i: number) => ({
  metadata: { name: `load-${String(i).padStart(5, '0')}`, namespace: `ns-${i % 10}`, labels: { app: `a${i % 50}` } },
  spec: { nodeName: `node${1 + (i % 2)}`, containers: [{ name: 'c', image: 'nginx:1.25' }] },
});

/** 20 writes/s: label patches on the big pods, and a pod created then deleted in a namespace sorted last. */
function churn(e: Engine): () => void {
  const store = e.ctx.store;
  let n = 0;
  const timer = setInterval(() => {
    n++;
    if (n % 2) {
      const p = pod(n % PODS).metadata;
      store.mutate('pods', p.namespace, p.name, (o) => void (o.metadata.labels!.tick = String(n)));
    } else if (n % 4 === 0) store.create('pods', { metadata: { name: `churn-${n}`, namespace: 'zz-churn' }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } });
    else if (n > 2) store.delete('pods', 'zz-churn', `churn-${n - 2}`, { gracePeriodSeconds: 0 });
  }, 50);
  return () => {
    clearInterval(timer);
    for (const p of store.list('pods', { namespace: 'zz-churn' }).items) store.delete('pods', 'zz-churn', p.metadata.name!, { gracePeriodSeconds: 0 });
  };
}

interface TableRun {
  shellMs: number;
  firstRowMs: number;
  allCountedMs: number;
  latencies: number[];
  bytesPerFrame: number;
  churnFps: number;
  idleCpu: number;
  idleBytesPerS: number;
}

async function tableRun(e: Engine): Promise<TableRun> {
  const home = tuiHome();
  const t0 = performance.now();
  const tui = spawnTui(['--kubeconfig', e.kubeconfigPath, '-A'], { cols: 200, rows: 60, env: { HOME: home } });
  try {
    await tui.waitFor('Context:', 60_000);
    const shellMs = performance.now() - t0;
    await tui.waitFor(/load-\d{5}/, 120_000);
    const firstRowMs = performance.now() - t0;
    await tui.waitFor(`Pods(all)[${PODS}]`, 120_000);
    const allCountedMs = performance.now() - t0;
    await tui.waitQuiet(300);

    const stop = churn(e);
    await sleep(1000);
    const out0 = tui.output().length;
    const c0 = performance.now();
    const latencies: number[] = [];
    for (let k = 0; k < KEYS; k++) {
      const up = k % 3 === 2;
      // A frame arrives in several chunks; read the selection only from a complete one.
      await tui.waitFor(() => tui.highlightedRows().length > 0, 5000);
      const row = tui.highlightedRows()[0]!;
      latencies.push(await keyToFrame(tui, up ? KEY.up : 'j', row + (up ? -1 : 1)));
      await sleep(50 + Math.random() * 100);
    }
    const churned = tui.output().slice(out0);
    const churnFps = frames(churned) / ((performance.now() - c0) / 1000);
    stop();

    await sleep(1000);
    await tui.waitQuiet(500);
    const i0 = tui.output().length;
    const cpu0 = cpuSeconds(tui.pid);
    const w0 = performance.now();
    await sleep(10_000);
    const secs = (performance.now() - w0) / 1000;
    const idleCpu = (100 * (cpuSeconds(tui.pid) - cpu0)) / secs;
    const idleBytesPerS = Buffer.byteLength(tui.output().slice(i0)) / secs;
    await tui.press('q');
    return { shellMs, firstRowMs, allCountedMs, latencies, bytesPerFrame: Buffer.byteLength(churned) / Math.max(1, frames(churned)), churnFps, idleCpu, idleBytesPerS };
  } finally {
    tui.kill();
    rmSync(home, { recursive: true, force: true });
  }
}

async function table(): Promise<Figure[]> {
  const home = benchHome('tui');
  const e = await startEngine({ home, port: 0, apiOnly: true, log: () => {} });
  try {
    for (const ns of [...Array.from({ length: 10 }, (_, n) => `ns-${n}`), 'zz-churn']) e.ctx.store.create('namespaces', { metadata: { name: ns } });
    for (let i = 0; i < PODS; i++) e.ctx.store.create('pods', pod(i));
    const runs: TableRun[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await tableRun(e));
    const lat = runs.flatMap((r) => r.latencies);
    const pods = PODS.toLocaleString('en-US');
    const s = (x: number) => x / 1000;
    return [
      summarize(`TUI first paint: spawn → first pod row, ${pods} pods`, 's', runs.map((r) => s(r.firstRowMs)), { anchor: 'k9s ≈ 7 s at 1,000 pods, minutes at 13,000' }),
      summarize(`TUI spawn → first frame (header), ${pods} pods`, 's', runs.map((r) => s(r.shellMs))),
      summarize(`TUI spawn → all ${pods} pods counted`, 's', runs.map((r) => s(r.allCountedMs))),
      // The headline takes the median, so this figure's median is the p95.
      { ...summarize(`TUI keypress → frame p95, ${pods} pods, 20 writes/s churn`, 'ms', lat), median: r1(percentile(lat, 95)), note: `p95 of ${lat.length} keys over ${RUNS} runs` },
      summarize(`TUI keypress → frame, ${pods} pods, 20 writes/s churn`, 'ms', lat, { note: 'median is p50' }),
      summarize('TUI bytes written per frame (keys + churn)', 'B', runs.map((r) => r.bytesPerFrame)),
      summarize('TUI frames/s while keys are pressed under churn', 'frames/s', runs.map((r) => r.churnFps)),
      summarize(`TUI idle CPU over 10 s, ${pods} pods`, '% of a core', runs.map((r) => r.idleCpu)),
      summarize('TUI idle output', 'B/s', runs.map((r) => r.idleBytesPerS)),
    ];
  } finally {
    await e.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

const FIREHOSE = 'i=0; while true; do seq -f "firehose line %g of a busy log stream" $i $((i+99)); i=$((i+100)); sleep 0.1; done';

async function logs(): Promise<Figure[]> {
  const home = benchHome('tui-log');
  const e = await childEngine(home);
  const tuiHomeDir = tuiHome();
  let tui: Tui | undefined;
  try {
    const body = { metadata: { name: 'firehose', namespace: 'default' }, spec: { containers: [{ name: 'firehose', image: 'busybox:1.36', command: ['sh', '-c', FIREHOSE] }] } };
    const created = await e.json('POST', '/api/v1/namespaces/default/pods', body);
    if (created.status !== 201) throw new Error(`creating the log pod: ${created.status} ${JSON.stringify(created.body)}`);
    for (let t = Date.now(); (await e.json('GET', '/api/v1/namespaces/default/pods/firehose')).body.status?.phase !== 'Running'; await sleep(200)) {
      if (Date.now() - t > 60_000) throw new Error('the log pod never ran');
    }
    tui = spawnTui(['--kubeconfig', e.kubeconfig], { cols: 160, rows: 45, env: { HOME: tuiHomeDir, SKIFF_LOG_LINES: LOG_LINES } });
    await tui.waitFor('firehose', 60_000);
    await tui.press('/');
    await tui.type('^firehose$');
    await tui.press(KEY.enter, 'l');
    await tui.waitFor('firehose line', 30_000);
    const t = tui;
    const newest = () => Math.max(0, ...t.lines().map((l) => Number(/firehose line (\d+)/.exec(l)?.[1] ?? 0)));
    const snap = () => ({ cpu: cpuSeconds(t.pid), frames: frames(t.output()), line: newest(), at: performance.now() });
    const w: Array<{ fps: number; cpu: number; rss: number; lps: number }> = [];
    let prev = snap();
    for (let s = 5; s <= LOG_SECONDS; s += 5) {
      await sleep(5000);
      const now = snap();
      const dt = (now.at - prev.at) / 1000;
      w.push({ fps: (now.frames - prev.frames) / dt, cpu: (100 * (now.cpu - prev.cpu)) / dt, rss: rssMiB(t.pid), lps: (now.line - prev.line) / dt });
      prev = now;
    }
    const first = w[0]!;
    const last = w[w.length - 1]!;
    const startEnd = (f: (x: (typeof w)[number]) => number) => `first 5 s ${r1(f(first))}, last 5 s ${r1(f(last))}`;
    const label = `TUI following a ~1,000 lines/s log for ${LOG_SECONDS} s`;
    return [
      summarize(`${label}: frame rate (5 s windows)`, 'frames/s', w.map((x) => x.fps), { note: startEnd((x) => x.fps) }),
      summarize(`${label}: CPU (5 s windows)`, '% of a core', w.map((x) => x.cpu), { note: startEnd((x) => x.cpu) }),
      summarize(`${label}: RSS (every 5 s)`, 'MiB', w.map((x) => x.rss), { note: `${startEnd((x) => x.rss)}; ring of ${LOG_LINES} lines` }),
      summarize(`${label}: newest line advanced`, 'lines/s', w.map((x) => x.lps)),
    ];
  } finally {
    tui?.kill();
    await e.stop();
    rmSync(home, { recursive: true, force: true });
    rmSync(tuiHomeDir, { recursive: true, force: true });
  }
}

export async function run(): Promise<Figure[]> {
  return [...(await table()), ...(await logs())];
}
