// The TUI's troubleshooting views on a big namespace set, as a user runs them (`bin/skiff.js` in a
// pty, test/e2e/pty.ts): 5,000 pods owned by 50 Deployments through their ReplicaSets, one pod in
// fifty crash-looping, in an API-only engine in this process. `:xray deploy -A` and `:pop -A`
// opened at start: spawn → first tree/problem row, spawn → the whole view counted, keypress → frame
// once the TUI has settled (every list in, CPU quiet) while crash loops go on (20 pod status writes/s);
// `:pods -A` on the same pods in the same run is the baseline (ratios), as the machine may be loaded.
// SKIFF_BENCH_TROUBLESHOOT_BASE=DIR runs another checkout's `:xray deploy -A` beside this one's, run
// for run (before → after in one run).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KObject } from '../source/api-types/index.ts';
import { startEngine, type Engine } from '../source/engine/engine.ts';
import { spawnTui } from '../test/e2e/pty.ts';
import { benchHome } from './child.ts';
import { percentile, summarize, type Figure } from './lib.ts';
import { keyToFrame } from './tui.bench.ts';

const PODS = Number(process.env.SKIFF_BENCH_TUI_PODS ?? 5000);
const RUNS = Number(process.env.SKIFF_BENCH_TUI_RUNS ?? 3);
const DEPLOYMENTS = 50;
const NAMESPACES = 10;
const KEYS = 40;
const CRASH_EVERY = 50;
const CHURN_MS = 50;
const BASE = process.env.SKIFF_BENCH_TROUBLESHOOT_BASE;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const r1 = (x: number) => Math.round(x * 10) / 10;

/** 50 Deployments, one ReplicaSet each, PODS pods spread over them; every CRASH_EVERY-th pod crash-loops. */
export function populate(e: Engine): { crashing: number } {
  const store = e.ctx.store;
  for (let n = 0; n < NAMESPACES; n++) store.create('namespaces', { metadata: { name: `ns-${n}` } });
  const sets: Array<{ ns: string; name: string; uid: string }> = [];
  const perDeploy = Math.ceil(PODS / DEPLOYMENTS);
  for (let d = 0; d < DEPLOYMENTS; d++) {
    const ns = `ns-${d % NAMESPACES}`;
    const name = `dep-${String(d).padStart(2, '0')}`;
    const labels = { app: name };
    const template = { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } };
    const dep = store.create('deployments.apps', {
      metadata: { name, namespace: ns },
      spec: { replicas: perDeploy, selector: { matchLabels: labels }, template },
    });
    const ref = (o: { metadata: { name?: string; uid?: string } }, kind: string) => [
      { apiVersion: 'apps/v1', kind, name: o.metadata.name!, uid: o.metadata.uid!, controller: true },
    ];
    const rs = store.create('replicasets.apps', {
      metadata: {
        name: `${name}-7d4b9c`,
        namespace: ns,
        labels,
        ownerReferences: ref(dep, 'Deployment'),
        annotations: { 'deployment.kubernetes.io/revision': '1' },
      },
      spec: { replicas: perDeploy, selector: { matchLabels: labels }, template },
    });
    sets.push({ ns, name: rs.metadata.name!, uid: rs.metadata.uid! });
  }
  let crashing = 0;
  for (let i = 0; i < PODS; i++) {
    const rs = sets[i % DEPLOYMENTS]!;
    const name = `${rs.name}-${String(i).padStart(5, '0')}`;
    store.create('pods', {
      metadata: {
        name,
        namespace: rs.ns,
        labels: { app: rs.name.replace(/-7d4b9c$/, '') },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.name, uid: rs.uid, controller: true }],
      },
      spec: { nodeName: `node${1 + (i % 2)}`, containers: [{ name: 'c', image: 'nginx:1.25' }] },
    });
    const crash = i % CRASH_EVERY === 0;
    if (crash) crashing++;
    const state = crash
      ? { waiting: { reason: 'CrashLoopBackOff' } }
      : { running: { startedAt: new Date().toISOString() } };
    store.mutate(
      'pods',
      rs.ns,
      name,
      (o) => {
        o.status = {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: crash ? 'False' : 'True' }],
          containerStatuses: [
            {
              name: 'c',
              ready: !crash,
              restartCount: crash ? 5 : 0,
              image: 'nginx:1.25',
              imageID: '',
              state,
              lastState: crash ? { terminated: { reason: 'Error', exitCode: 1 } } : {},
            },
          ],
        };
      },
      { subresource: 'status' },
    );
  }
  return { crashing };
}

/** A pod's status as a crash loop (restarted `restarts` times) or as a healthy running pod. */
function podStatus(crash: boolean, restarts: number): KObject['status'] {
  return {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: crash ? 'False' : 'True' }],
    containerStatuses: [
      {
        name: 'c',
        ready: !crash,
        restartCount: restarts,
        image: 'nginx:1.25',
        imageID: '',
        state: crash
          ? { waiting: { reason: 'CrashLoopBackOff' } }
          : { running: { startedAt: new Date().toISOString() } },
        lastState: crash ? { terminated: { reason: 'Error', exitCode: 1 } } : {},
      },
    ],
  };
}

/**
 * 20 status writes/s as crash loops make them: a crash-looping pod's restart count goes up, a
 * healthy pod starts crash-looping and the one before it recovers. Returns a stop that restores.
 */
function churn(e: Engine): () => void {
  const store = e.ctx.store;
  const pods = store.list('pods').items.filter((p) => /-\d{5}$/.test(p.metadata.name!));
  const crashing = pods.filter((p) => p.status?.containerStatuses?.[0]?.restartCount);
  const healthy = pods.filter((p) => !p.status?.containerStatuses?.[0]?.restartCount);
  const set = (p: KObject, crash: boolean, restarts: number) =>
    store.mutate('pods', p.metadata.namespace, p.metadata.name!, (o) => void (o.status = podStatus(crash, restarts)), {
      subresource: 'status',
    });
  let n = 0;
  const flipped: KObject[] = [];
  const timer = setInterval(() => {
    n++;
    if (n % 2) set(crashing[n % crashing.length]!, true, 5 + n);
    else {
      const p = healthy[(n * 37) % healthy.length]!;
      set(p, true, 1);
      flipped.push(p);
      if (flipped.length > 1) set(flipped.shift()!, false, 0);
    }
  }, CHURN_MS);
  return () => {
    clearInterval(timer);
    for (const p of flipped) set(p, false, 0);
  };
}

/** CPU seconds a process has used (Linux /proc). */
function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** Until the TUI has used under a tenth of a core over a second: its lists are all in. */
async function settled(pid: number, timeoutMs = 120_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  let last = cpuSeconds(pid);
  while (performance.now() < end) {
    await sleep(1000);
    const now = cpuSeconds(pid);
    if (now - last < 0.1) return;
    last = now;
  }
}

interface ViewRun {
  firstRowMs: number;
  allMs: number;
  latencies: number[];
}

async function viewRun(
  e: Engine,
  command: string,
  firstRow: RegExp,
  counted: (s: string) => boolean,
  root?: string,
): Promise<ViewRun> {
  const home = mkdtempSync(join(tmpdir(), 'skiff-bench-tui-home-'));
  const t0 = performance.now();
  const tui = spawnTui(['--kubeconfig', e.kubeconfigPath, '--command', command], {
    cols: 200,
    rows: 60,
    env: { HOME: home },
    root,
  });
  try {
    await tui.waitFor(firstRow, 120_000);
    const firstRowMs = performance.now() - t0;
    await tui.waitFor(counted, 120_000);
    const allMs = performance.now() - t0;
    await settled(tui.pid);
    const latencies: number[] = [];
    const stop = churn(e);
    try {
      await sleep(1000);
      for (let k = 0; k < KEYS; k++) {
        const up = k % 3 === 2;
        await tui.waitFor(() => tui.highlightedRows().length > 0, 5000);
        const row = tui.highlightedRows()[0]!;
        latencies.push(await keyToFrame(tui, up ? '\x1b[A' : 'j', row + (up ? -1 : 1)));
        await sleep(50 + Math.random() * 100);
      }
    } finally {
      stop();
    }
    await tui.press('q');
    return { firstRowMs, allMs, latencies };
  } finally {
    tui.kill();
    rmSync(home, { recursive: true, force: true });
  }
}

function figures(view: string, runs: ViewRun[]): Figure[] {
  const pods = PODS.toLocaleString('en-US');
  const lat = runs.flatMap((r) => r.latencies);
  const s = (x: number) => x / 1000;
  return [
    summarize(
      `TUI ${view} first paint: spawn → first row, ${pods} pods`,
      's',
      runs.map((r) => s(r.firstRowMs)),
    ),
    summarize(
      `TUI ${view}: spawn → whole view counted, ${pods} pods`,
      's',
      runs.map((r) => s(r.allMs)),
    ),
    {
      ...summarize(`TUI ${view} keypress → frame p95, ${pods} pods, 20 status writes/s`, 'ms', lat),
      median: r1(percentile(lat, 95)),
      note: `p95 of ${lat.length} keys over ${RUNS} runs`,
    },
  ];
}

export async function run(): Promise<Figure[]> {
  const home = benchHome('tui-troubleshoot');
  const e = await startEngine({ home, port: 0, apiOnly: true, log: () => {} });
  try {
    const { crashing } = populate(e);
    // Every deployment (the cluster's own too), replicaset, pod and container is a line of the tree.
    const lines =
      e.ctx.store.list('deployments.apps').items.length + e.ctx.store.list('replicasets.apps').items.length + PODS * 2;
    const atLeast = (re: RegExp, n: number) => (s: string) => Number(re.exec(s)?.[1] ?? -1) >= n;
    const xray: ViewRun[] = [];
    const problems: ViewRun[] = [];
    const pods: ViewRun[] = [];
    const baseXray: ViewRun[] = [];
    const allPods = e.ctx.store.list('pods').items.length;
    const runXray = (root?: string) =>
      viewRun(e, 'xray deploy -A', /▾ deploy\/dep-\d\d/, (s) => s.includes(`Xray(all)[${lines}]`), root);
    // Each crashing pod is one problem, and leaves its deployment one replica short.
    const runProblems = () =>
      viewRun(e, 'pop -A', /Critical\s+pod\/dep-/, atLeast(/Problems\(all\)\[(\d+)\]/, crashing + DEPLOYMENTS));
    for (let i = 0; i < RUNS; i++) {
      // The plain pod table on the same pods, interleaved: the baseline the two views are compared with.
      pods.push(await viewRun(e, 'pods -A', /dep-\d\d-7d4b9c-\d{5}/, (s) => s.includes(`Pods(all)[${allPods}]`)));
      if (BASE) baseXray.push(await runXray(BASE));
      xray.push(await runXray());
      problems.push(await runProblems());
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratio = (view: string, runs: ViewRun[]): Figure => {
      const r = (f: (x: ViewRun) => number) => r1(med(runs.map(f)) / med(pods.map(f)));
      const p95 = (rs: ViewRun[]) =>
        percentile(
          rs.flatMap((x) => x.latencies),
          95,
        );
      return {
        name: `TUI ${view} vs :pods -A, same run (× the pod table)`,
        unit: '×',
        median: r((x) => x.firstRowMs),
        samples: runs.length,
        note: `first paint ×${r((x) => x.firstRowMs)}, whole view ×${r((x) => x.allMs)}, keypress p95 ×${r1(p95(runs) / p95(pods))}`,
      };
    };
    const base = ' [baseline build]';
    return [
      ...figures(':pods -A', pods),
      ...figures(':xray deploy -A', xray),
      ...figures(':pop -A', problems),
      ratio(':xray deploy -A', xray),
      ratio(':pop -A', problems),
      ...(BASE ? [...figures(`:xray deploy -A${base}`, baseXray), ratio(`:xray deploy -A${base}`, baseXray)] : []),
    ];
  } finally {
    await e.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
