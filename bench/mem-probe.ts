// Not part of `npm run bench`: the engine's memory with N running pods (rss.bench.ts's workload),
// for each checkout in SKIFF_PROBE_ROOTS (comma-separated, default this one; each runs its built
// dist/), alternating for SKIFF_PROBE_ROUNDS. Prints RSS empty and with the pods, the engine's CPU
// seconds to start them, then LIST of all pods as JSON (the first is cold: no item serialized yet)
// and RSS after. SKIFF_PROBE_SNAPSHOTS=DIR writes a heap snapshot of each engine with the pods
// running (summarize it with bench/heap-summary.ts); SKIFF_PROBE_SETTLE=S waits S seconds (default 5)
// after the last pod is Ready before measuring; SKIFF_PROBE_NODE_ARGS="--a --b" adds Node/V8 flags to each engine.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { childEngine, cpuSeconds, rssMiB, type ChildEngine } from './child.ts';
import { timedGet } from './lib.ts';
import { clusterYaml, startPods } from './rss.bench.ts';

const PODS = Number(process.env.SKIFF_PROBE_PODS ?? 2000);
const ROUNDS = Number(process.env.SKIFF_PROBE_ROUNDS ?? 1);
const ROOTS = (process.env.SKIFF_PROBE_ROOTS ?? join(import.meta.dirname, '..')).split(',').map((r) => resolve(r));
const SNAPSHOTS = process.env.SKIFF_PROBE_SNAPSHOTS;
const NODE_ARGS = (process.env.SKIFF_PROBE_NODE_ARGS ?? '').split(' ').filter(Boolean);
const LISTS = 5;
/** Seconds between the last pod Ready and the measurement (the watch log keeps 75 s of events). */
const SETTLE = Number(process.env.SKIFF_PROBE_SETTLE ?? 5);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rss = async (pid: number, n: number) => {
  const xs: number[] = [];
  for (let i = 0; i < n; i++, await sleep(1000)) xs.push(rssMiB(pid));
  return median(xs);
};

async function snapshot(e: ChildEngine, dir: string): Promise<string> {
  const before = new Set(readdirSync(dir));
  process.kill(e.pid, 'SIGUSR2');
  for (;;) {
    await sleep(1000);
    const file = readdirSync(dir).find((f) => !before.has(f) && f.endsWith('.heapsnapshot'));
    if (!file) continue;
    const size = statSync(join(dir, file)).size;
    await e.json('GET', '/version'); // answered once the (synchronous) snapshot is written
    if (statSync(join(dir, file)).size === size) return join(dir, file);
  }
}

async function probe(root: string, round: number): Promise<void> {
  if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error(`${root}: run npm run build there first`);
  const home = mkdtempSync(join(tmpdir(), 'skiff-mem-probe-'));
  writeFileSync(join(home, 'cluster.yaml'), clusterYaml(PODS));
  const dir = SNAPSHOTS ? resolve(SNAPSHOTS) : undefined;
  if (dir) mkdirSync(dir, { recursive: true });
  const e = await childEngine(home, {
    root,
    nofile: 65_536,
    env: { SKIFF_PULL_DELAY_MS: '100', SKIFF_DIST: '1' },
    nodeArgs: [...NODE_ARGS, ...(dir ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`] : [])],
  });
  try {
    await sleep(3000);
    const empty = await rss(e.pid, 3);
    const cpu0 = cpuSeconds(e.pid);
    const seconds = await startPods(e, PODS, 'registry.k8s.io/pause:3.10');
    const cpu = cpuSeconds(e.pid) - cpu0;
    await sleep(SETTLE * 1000);
    const full = await rss(e.pid, 5);
    const file = dir ? await snapshot(e, dir) : undefined;
    const url = `${e.url}/api/v1/namespaces/default/pods`;
    const lists: number[] = [];
    let bytes = 0;
    for (let i = 0; i < LISTS; i++) {
      const r = await timedGet(url, e.token, e.ca);
      lists.push(r.ms);
      bytes = r.bytes;
    }
    const events = (await e.json('GET', '/api/v1/namespaces/default/events')).body.items.length;
    const after = await rss(e.pid, 3);
    const load = (await import('node:os')).loadavg()[0]!.toFixed(1);
    console.log(
      `${root} round ${round}: RSS empty ${empty.toFixed(1)} MiB, ${PODS} pods ${full.toFixed(1)} MiB ` +
        `(Ready in ${seconds.toFixed(0)} s, engine CPU ${cpu.toFixed(1)} s), LIST cold ${lists[0]!.toFixed(0)} ms, ` +
        `warm ${median(lists.slice(1)).toFixed(0)} ms (${(bytes / PODS).toFixed(0)} B a pod), ${events} Events, RSS after LISTs ${after.toFixed(1)} MiB, load ${load}` +
        (file ? `, snapshot ${file}` : ''),
    );
  } finally {
    await e.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

for (let round = 1; round <= ROUNDS; round++) for (const root of ROOTS) await probe(root, round);
