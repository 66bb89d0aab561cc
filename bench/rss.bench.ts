// Engine memory with 10,000 running pods, pre-bound to two nodes (no scheduler in the way).
// Built-in pods: 10,000 host processes would not fit on a small machine, and the engine's own
// cost per pod (store, kubelet worker, pod IP, log file) is what is measured. Built-in nginx
// holds two files per pod (its socket and its log): under a 20,000 open-file limit that cannot
// be raised, the pods run the pause image instead (no socket), and the figure says so.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEngine, rssMiB, type ChildEngine } from './child.ts';
import { summarize, type Figure } from './lib.ts';

const PODS = Number(process.env.SKIFF_BENCH_RSS_PODS ?? 10_000);
const NODES = ['node1', 'node2'];

// Two workers with a /18 of pod IPs each (16,382 addresses).
export const clusterYaml = (pods: number) => `serviceCIDR: 127.${160 + Math.floor(Math.random() * 40)}.0.0/16
nodePortRange: 30000-32767
nodes:
${NODES.map((n, i) => `  - {name: ${n}, role: worker, ip: 127.0.1.${i + 2}, podCIDR: 127.244.${(i + 1) * 64}.0/18, cpu: "256", memory: 1Ti, pods: "${Math.ceil(pods / NODES.length) + 100}"}`).join('\n')}
`;

const NOFILE = 65_536;

export async function createPods(e: ChildEngine, n: number, image: string): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      const pod = {
        metadata: { name: `rss-${i}`, labels: { bench: 'rss' } },
        spec: { nodeName: NODES[i % NODES.length], containers: [{ name: 'c', image }] },
      };
      const r = await e.json('POST', '/api/v1/namespaces/default/pods', pod);
      if (r.status !== 201)
        throw new Error(`creating pod ${i}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

/** Create `n` pods and wait, watching as kubectl would, until all are Ready; returns the seconds taken. */
export async function startPods(e: ChildEngine, n: number, image: string): Promise<number> {
  const ready = new Set<string>();
  const stopWatch = e.watch('/api/v1/namespaces/default/pods?watch=true&labelSelector=bench%3Drss', (ev) => {
    if (
      ev.type !== 'DELETED' &&
      ev.object.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')
    )
      ready.add(ev.object.metadata.name);
  });
  const t0 = performance.now();
  await createPods(e, n, image);
  let progress = { ready: 0, at: Date.now() };
  while (ready.size < n) {
    if (ready.size > progress.ready) progress = { ready: ready.size, at: Date.now() };
    if (Date.now() - progress.at > 120_000)
      throw new Error(`only ${ready.size}/${n} pods Ready, none more for 2 minutes`);
    await sleep(500);
  }
  stopWatch();
  return (performance.now() - t0) / 1000;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sample = async (pid: number, n: number) => {
  const xs: number[] = [];
  for (let i = 0; i < n; i++, await sleep(1000)) xs.push(rssMiB(pid));
  return xs;
};

export async function run(): Promise<Figure[]> {
  const home = mkdtempSync(join(tmpdir(), 'skiff-bench-rss-'));
  writeFileSync(join(home, 'cluster.yaml'), clusterYaml(PODS));
  const e = await childEngine(home, { nofile: NOFILE, env: { SKIFF_PULL_DELAY_MS: '100' } });
  const limit = Number(/Max open files\s+(\d+)/.exec(readFileSync(`/proc/${e.pid}/limits`, 'utf8'))?.[1]);
  const nginx = limit >= 2 * PODS + 2000;
  const image = nginx ? 'nginx:1.25' : 'registry.k8s.io/pause:3.10';
  try {
    await sleep(3000);
    const empty = await sample(e.pid, 5);
    const seconds = await startPods(e, PODS, image);
    await sleep(5000);
    const full = await sample(e.pid, 10);
    return [
      summarize('engine RSS, empty cluster', 'MiB', empty),
      summarize(`engine RSS with ${PODS.toLocaleString('en')} running pods, pre-bound`, 'MiB', full, {
        anchor: 'k3s agent ≈ 256–275 MB (docs.k3s.io resource profiling)',
        note: `${nginx ? 'built-in nginx' : `pause image: open files limited to ${limit}`}; all Ready in ${seconds.toFixed(0)} s`,
      }),
    ];
  } finally {
    await e.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
