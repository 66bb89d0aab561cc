// The TUI as a user runs it: `bin/skiff.js` of the compiled package (dist/, built first) in a pty,
// read through a headless xterm (test/e2e/pty.ts). Part 1: 5,000 pods in an API-only engine in
// this process (no kubelets or controllers, so the pods are created pre-bound through the store
// and stay Pending): first paint, keypress → frame under 20 writes/s, bytes per frame, then idle:
// output, frames, CPU, RSS. Part 2: a 3-row table (a new user's first pods): idle output, CPU and
// RSS, and the same idle output with Ink's full redraw (SKIFF_FULL_REDRAW=1) side by side (and the
// baseline build's, with SKIFF_BENCH_TUI_BASE). Part 3: a full engine as its own process running a
// host-process pod that logs ~1,000 lines/s, followed for 30 s. Part 4 (`paint20k`): first paint
// at 20,000 pods, the issue's second first-paint goal. The pods are minutes old at most, so every visible AGE cell ticks each second: that
// is the most an idle table has to write.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine, type Engine } from '../source/engine/engine.ts';
import { KEY, spawnTui, type Tui } from '../test/e2e/pty.ts';
import { benchHome, childEngine, cpuSeconds, rssMiB } from './child.ts';
import { distEnv } from './dist.ts';
import { percentile, summarize, type Figure } from './lib.ts';

const PODS = Number(process.env.SKIFF_BENCH_TUI_PODS ?? 5000);
const RUNS = Number(process.env.SKIFF_BENCH_TUI_RUNS ?? 3);
const KEYS = Number(process.env.SKIFF_BENCH_TUI_KEYS ?? 40);
// `table,small,logs` (default all): which parts run.
const PARTS = new Set((process.env.SKIFF_BENCH_TUI_PARTS ?? 'table,small,logs,paint20k').split(','));
/** The second first-paint goal's cluster size (part `paint20k`). */
const PAINT_PODS = 20_000;
// A baseline checkout (its dist/ built) whose TUI runs beside this one in the table part, run for
// run, so before/after ratios come from one run on the same (noisy) machine.
const BASE = process.env.SKIFF_BENCH_TUI_BASE;
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

/** A key whose frame never comes counts as this many ms (and is reported), rather than ending the run. */
const KEY_TIMEOUT_MS = 15_000;

/** Press a key and resolve with the ms until the parsed screen shows the selection on `row`. */
export function keyToFrame(tui: Tui, key: string, row: number): Promise<number> {
  return new Promise((resolve) => {
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
      process.stderr.write(
        `  a key's frame never came within ${KEY_TIMEOUT_MS} ms (selection wanted on row ${row}, at ${tui.highlightedRows()[0]})\n`,
      );
      resolve(KEY_TIMEOUT_MS);
    }, KEY_TIMEOUT_MS);
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
    } else if (n % 4 === 0)
      store.create('pods', {
        metadata: { name: `churn-${n}`, namespace: 'zz-churn' },
        spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] },
      });
    else if (n > 2) store.delete('pods', 'zz-churn', `churn-${n - 2}`, { gracePeriodSeconds: 0 });
  }, 50);
  return () => {
    clearInterval(timer);
    for (const p of store.list('pods', { namespace: 'zz-churn' }).items)
      store.delete('pods', 'zz-churn', p.metadata.name!, { gracePeriodSeconds: 0 });
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
  idleFps: number;
  rss: number;
}

interface Idle {
  cpu: number;
  /** CPU over the next 10 s, once start-up's leftovers (V8's optimizing compiles, GC) are done. */
  settledCpu?: number;
  bytesPerS: number;
  fps: number;
  rss: number;
}

/**
 * 10 s of doing nothing: CPU, bytes written, frames, and RSS at the end; with `settled`, the CPU
 * of the 10 s after that too.
 */
async function idle(tui: Tui, settled = false): Promise<Idle> {
  await sleep(1000);
  await tui.waitQuiet(500);
  const i0 = tui.output().length;
  const cpu0 = cpuSeconds(tui.pid);
  const w0 = performance.now();
  await sleep(10_000);
  const secs = (performance.now() - w0) / 1000;
  const out = tui.output().slice(i0);
  const cpu1 = cpuSeconds(tui.pid);
  let settledCpu: number | undefined;
  if (settled) {
    const w1 = performance.now();
    await sleep(10_000);
    settledCpu = (100 * (cpuSeconds(tui.pid) - cpu1)) / ((performance.now() - w1) / 1000);
  }
  return {
    settledCpu,
    cpu: (100 * (cpu1 - cpu0)) / secs,
    bytesPerS: Buffer.byteLength(out) / secs,
    fps: frames(out) / secs,
    rss: rssMiB(tui.pid),
  };
}

async function tableRun(e: Engine, root?: string): Promise<TableRun> {
  const home = tuiHome();
  const t0 = performance.now();
  const tui = spawnTui(['--kubeconfig', e.kubeconfigPath, '-A'], {
    cols: 200,
    rows: 60,
    root,
    env: { HOME: home, ...distEnv() },
  });
  try {
    await tui.waitFor('Context:', 60_000);
    const shellMs = performance.now() - t0;
    await tui.waitFor(/load-\d{5}/, 120_000);
    const firstRowMs = performance.now() - t0;
    await tui.waitFor(`Pods(all)[${PODS}]`, 120_000);
    const allCountedMs = performance.now() - t0;
    await tui.waitQuiet(300);

    const stop = churn(e);
    let churned = '';
    let churnFps = 0;
    const latencies: number[] = [];
    try {
      await sleep(1000);
      const out0 = tui.output().length;
      const c0 = performance.now();
      for (let k = 0; k < KEYS; k++) {
        const up = k % 3 === 2;
        // A frame arrives in several chunks; read the selection only from a complete one.
        await tui.waitFor(() => tui.highlightedRows().length > 0, KEY_TIMEOUT_MS);
        const row = tui.highlightedRows()[0]!;
        latencies.push(await keyToFrame(tui, up ? KEY.up : 'j', row + (up ? -1 : 1)));
        await sleep(50 + Math.random() * 100);
      }
      churned = tui.output().slice(out0);
      churnFps = frames(churned) / ((performance.now() - c0) / 1000);
    } finally {
      stop();
    }

    const still = await idle(tui);
    await tui.press('q');
    return {
      shellMs,
      firstRowMs,
      allCountedMs,
      latencies,
      bytesPerFrame: Buffer.byteLength(churned) / Math.max(1, frames(churned)),
      churnFps,
      idleCpu: still.cpu,
      idleBytesPerS: still.bytesPerS,
      idleFps: still.fps,
      rss: still.rss,
    };
  } finally {
    tui.kill();
    rmSync(home, { recursive: true, force: true });
  }
}

async function table(): Promise<Figure[]> {
  const home = benchHome('tui');
  const e = await startEngine({ home, port: 0, apiOnly: true, log: () => {} });
  try {
    for (const ns of [...Array.from({ length: 10 }, (_, n) => `ns-${n}`), 'zz-churn'])
      e.ctx.store.create('namespaces', { metadata: { name: ns } });
    for (let i = 0; i < PODS; i++) e.ctx.store.create('pods', pod(i));
    const runs: TableRun[] = [];
    const baseRuns: TableRun[] = [];
    for (let i = 0; i < RUNS; i++) {
      const report = (tag: string, r: TableRun) =>
        process.stderr.write(
          `  run ${i + 1} ${tag}: first row ${Math.round(r.firstRowMs)} ms, keys p95 ${Math.round(percentile(r.latencies, 95))} ms, idle CPU ${r1(r.idleCpu)} %, RSS ${Math.round(r.rss)} MiB\n`,
        );
      if (BASE) {
        baseRuns.push(await tableRun(e, BASE));
        report('baseline', baseRuns[baseRuns.length - 1]!);
      }
      runs.push(await tableRun(e));
      report('this build', runs[runs.length - 1]!);
    }
    const figures = tableFigures(runs, '');
    return BASE ? [...figures, ...tableFigures(baseRuns, ' [baseline build]')] : figures;
  } finally {
    await e.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

function tableFigures(runs: TableRun[], tag: string): Figure[] {
  const lat = runs.flatMap((r) => r.latencies);
  const pods = PODS.toLocaleString('en-US') + tag;
  const s = (x: number) => x / 1000;
  return [
    summarize(
      `TUI first paint: spawn → first pod row, ${pods} pods`,
      's',
      runs.map((r) => s(r.firstRowMs)),
      { goal: '< 0.8 s', anchor: 'k9s ≈ 7 s at 1,000 pods, minutes at 13,000' },
    ),
    summarize(
      `TUI spawn → first frame (header), ${pods} pods`,
      's',
      runs.map((r) => s(r.shellMs)),
    ),
    summarize(
      `TUI spawn → all ${pods} pods counted`,
      's',
      runs.map((r) => s(r.allCountedMs)),
    ),
    // The headline takes the median, so this figure's median is the p95.
    {
      ...summarize(`TUI keypress → frame p95, ${pods} pods, 20 writes/s churn`, 'ms', lat),
      median: r1(percentile(lat, 95)),
      goal: '< 30 ms',
      note: `p95 of ${lat.length} keys over ${RUNS} runs`,
    },
    summarize(`TUI keypress → frame, ${pods} pods, 20 writes/s churn`, 'ms', lat, { note: 'median is p50' }),
    summarize(
      `TUI bytes written per frame (keys + churn)${tag}`,
      'B',
      runs.map((r) => r.bytesPerFrame),
    ),
    summarize(
      `TUI frames/s while keys are pressed under churn${tag}`,
      'frames/s',
      runs.map((r) => r.churnFps),
    ),
    summarize(
      `TUI idle CPU over 10 s, ${pods} pods`,
      '% of a core',
      runs.map((r) => r.idleCpu),
      { goal: '< 1 %', note: 'every visible AGE ticks each second' },
    ),
    summarize(
      `TUI idle output, ${pods} pods`,
      'B/s',
      runs.map((r) => r.idleBytesPerS),
      { goal: '< 200 B/s', note: 'every visible AGE ticks each second; a full redraw wrote 14,450 B/s' },
    ),
    summarize(
      `TUI idle frames, ${pods} pods`,
      'frames/s',
      runs.map((r) => r.idleFps),
      { note: "Ink's frames; an AGE tick is written without one (FrameWriter.patch)" },
    ),
    summarize(
      `TUI RSS, ${pods} pods (after the idle window)`,
      'MiB',
      runs.map((r) => r.rss),
      { goal: PODS >= 50_000 ? '< 300 MB' : '≤ 200 MB' },
    ),
  ].filter((f) => (f.samples ?? 0) > 0);
}

/**
 * A new user's first table: three fresh pods in one namespace, idle; Ink's full redraw beside it,
 * and the baseline build (SKIFF_BENCH_TUI_BASE) run for run when there is one.
 */
async function small(): Promise<Figure[]> {
  const home = benchHome('tui-small');
  const e = await startEngine({ home, port: 0, apiOnly: true, log: () => {} });
  const runs: Array<Idle & { full: Idle; base?: Idle }> = [];
  try {
    e.ctx.store.create('namespaces', { metadata: { name: 'demo' } });
    for (const name of ['web-1', 'web-2', 'db-0'])
      e.ctx.store.create('pods', {
        metadata: { name, namespace: 'demo' },
        spec: { nodeName: 'node1', containers: [{ name: 'c', image: 'nginx:1.25' }] },
      });
    const measure = async (env: Record<string, string>, root?: string) => {
      const dir = tuiHome();
      const tui = spawnTui(['--kubeconfig', e.kubeconfigPath, '-n', 'demo'], {
        cols: 160,
        rows: 45,
        root,
        env: { HOME: dir, ...distEnv(), ...env },
      });
      try {
        await tui.waitFor('Pods(demo)[3]', 60_000);
        return await idle(tui, !env.SKIFF_FULL_REDRAW);
      } finally {
        tui.kill();
        rmSync(dir, { recursive: true, force: true });
      }
    };
    for (let i = 0; i < RUNS; i++) {
      const base = BASE ? await measure({}, BASE) : undefined;
      runs.push({ ...(await measure({})), full: await measure({ SKIFF_FULL_REDRAW: '1' }), base });
      process.stderr.write(
        `  3-row table run ${i + 1}: idle CPU ${r1(runs[i]!.cpu)} %, next 10 s ${r1(runs[i]!.settledCpu ?? NaN)} %${base ? ` (baseline build ${r1(base.cpu)} %)` : ''}\n`,
      );
    }
  } finally {
    await e.stop();
    rmSync(home, { recursive: true, force: true });
  }
  const bases = runs.flatMap((r) => (r.base ? [r.base] : []));
  return [
    summarize(
      'TUI idle CPU over 10 s, a 3-row table',
      '% of a core',
      runs.map((r) => r.cpu),
      { goal: '< 0.5 %', note: 'the ages tick each second' },
    ),
    summarize(
      'TUI idle CPU, a 3-row table, the next 10 s (12–22 s after the rows)',
      '% of a core',
      runs.flatMap((r) => (r.settledCpu === undefined ? [] : [r.settledCpu])),
      { goal: '< 0.5 %', note: "start-up's leftovers done: V8's optimizing compiles and collections" },
    ),
    summarize(
      'TUI idle output, a 3-row table',
      'B/s',
      runs.map((r) => r.bytesPerS),
      { goal: '< 200 B/s' },
    ),
    summarize(
      'TUI idle output, a 3-row table, full redraw (SKIFF_FULL_REDRAW=1, as before)',
      'B/s',
      runs.map((r) => r.full.bytesPerS),
    ),
    summarize(
      'TUI idle CPU over 10 s, a 3-row table, full redraw (as before)',
      '% of a core',
      runs.map((r) => r.full.cpu),
    ),
    summarize(
      'TUI RSS, a 3-row table (small cluster)',
      'MiB',
      runs.map((r) => r.rss),
      { goal: '≤ 120 MB' },
    ),
    ...(bases.length
      ? [
          summarize(
            'TUI idle CPU over 10 s, a 3-row table [baseline build]',
            '% of a core',
            bases.map((r) => r.cpu),
          ),
          summarize(
            'TUI idle output, a 3-row table [baseline build]',
            'B/s',
            bases.map((r) => r.bytesPerS),
          ),
        ]
      : []),
  ];
}

const FIREHOSE =
  'i=0; while true; do seq -f "firehose line %g of a busy log stream" $i $((i+99)); i=$((i+100)); sleep 0.1; done';

async function logs(): Promise<Figure[]> {
  const home = benchHome('tui-log');
  const e = await childEngine(home);
  const tuiHomeDir = tuiHome();
  let tui: Tui | undefined;
  try {
    const body = {
      metadata: { name: 'firehose', namespace: 'default' },
      spec: { containers: [{ name: 'firehose', image: 'busybox:1.36', command: ['sh', '-c', FIREHOSE] }] },
    };
    const created = await e.json('POST', '/api/v1/namespaces/default/pods', body);
    if (created.status !== 201)
      throw new Error(`creating the log pod: ${created.status} ${JSON.stringify(created.body)}`);
    for (
      let t = Date.now();
      (await e.json('GET', '/api/v1/namespaces/default/pods/firehose')).body.status?.phase !== 'Running';
      await sleep(200)
    ) {
      if (Date.now() - t > 60_000) throw new Error('the log pod never ran');
    }
    tui = spawnTui(['--kubeconfig', e.kubeconfig], {
      cols: 160,
      rows: 45,
      env: { HOME: tuiHomeDir, SKIFF_LOG_LINES: LOG_LINES, ...distEnv() },
    });
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
      w.push({
        fps: (now.frames - prev.frames) / dt,
        cpu: (100 * (now.cpu - prev.cpu)) / dt,
        rss: rssMiB(t.pid),
        lps: (now.line - prev.line) / dt,
      });
      prev = now;
    }
    const first = w[0]!;
    const last = w[w.length - 1]!;
    const startEnd = (f: (x: (typeof w)[number]) => number) => `first 5 s ${r1(f(first))}, last 5 s ${r1(f(last))}`;
    const label = `TUI following a ~1,000 lines/s log for ${LOG_SECONDS} s`;
    return [
      summarize(
        `${label}: frame rate (5 s windows)`,
        'frames/s',
        w.map((x) => x.fps),
        { note: startEnd((x) => x.fps) },
      ),
      summarize(
        `${label}: CPU (5 s windows)`,
        '% of a core',
        w.map((x) => x.cpu),
        { goal: '< 10 %', note: startEnd((x) => x.cpu) },
      ),
      summarize(
        `${label}: RSS (every 5 s)`,
        'MiB',
        w.map((x) => x.rss),
        { goal: '< 200 MB', note: `${startEnd((x) => x.rss)}; ring of ${LOG_LINES} lines` },
      ),
      summarize(
        `${label}: newest line advanced`,
        'lines/s',
        w.map((x) => x.lps),
      ),
    ];
  } finally {
    tui?.kill();
    await e.stop();
    rmSync(home, { recursive: true, force: true });
    rmSync(tuiHomeDir, { recursive: true, force: true });
  }
}

/** Part `paint20k`: spawn → first pod row and → header at `pods` pre-bound pods, `-A`, RUNS runs. */
async function firstPaintAt(pods: number): Promise<Figure[]> {
  const home = benchHome('tui-paint');
  const e = await startEngine({ home, port: 0, apiOnly: true, log: () => {} });
  try {
    for (let n = 0; n < 10; n++) e.ctx.store.create('namespaces', { metadata: { name: `ns-${n}` } });
    for (let i = 0; i < pods; i++) e.ctx.store.create('pods', pod(i));
    const firstRow: number[] = [];
    const header: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const tuiHomeDir = tuiHome();
      const t0 = performance.now();
      const tui = spawnTui(['--kubeconfig', e.kubeconfigPath, '-A'], {
        cols: 200,
        rows: 60,
        env: { HOME: tuiHomeDir, ...distEnv() },
      });
      try {
        await tui.waitFor('Context:', 60_000);
        header.push((performance.now() - t0) / 1000);
        await tui.waitFor(/load-\d{5}/, 120_000);
        firstRow.push((performance.now() - t0) / 1000);
        await tui.press('q');
      } finally {
        tui.kill();
        rmSync(tuiHomeDir, { recursive: true, force: true });
      }
    }
    const n = pods.toLocaleString('en-US');
    return [
      summarize(`TUI first paint: spawn → first pod row, ${n} pods`, 's', firstRow, { goal: '< 2 s' }),
      summarize(`TUI spawn → first frame (header), ${n} pods`, 's', header),
    ];
  } finally {
    await e.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

export async function run(): Promise<Figure[]> {
  distEnv(); // build first: the build is not part of any figure
  return [
    ...(PARTS.has('table') ? await table() : []),
    ...(PARTS.has('small') ? await small() : []),
    ...(PARTS.has('logs') ? await logs() : []),
    ...(PARTS.has('paint20k') ? await firstPaintAt(PAINT_PODS) : []),
  ];
}
