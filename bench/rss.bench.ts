// Engine memory with 10,000 running pods, pre-bound to two nodes (no scheduler in the way).
// Built-in nginx pods: 10,000 host processes would not fit on a small machine, and the engine's
// own cost per pod (store, kubelet worker, pod IP, an HTTP server) is what is measured.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEngine, rssMiB, type ChildEngine } from './child.ts';
import { summarize, type Figure } from './lib.ts';

const PODS = Number(process.env.SKIFF_BENCH_RSS_PODS ?? 10_000);
const NODES = ['node1', 'node2'];
const PER_NODE = Math.ceil(PODS / NODES.length) + 100;

// Two workers with a /18 of pod IPs each (16,382 addresses).
const CLUSTER = `serviceCIDR: 127.${160 + Math.floor(Math.random() * 40)}.0.0/16
nodePortRange: 30000-32767
nodes:
${NODES.map((n, i) => `  - {name: ${n}, role: worker, ip: 127.0.1.${i + 2}, podCIDR: 127.244.${(i + 1) * 64}.0/18, cpu: "256", memory: 1Ti, pods: "${PER_NODE}"}`).join('\n')}
`;

async function readyCount(e: ChildEngine): Promise<number> {
  const list = await e.json('GET', '/api/v1/namespaces/default/pods?labelSelector=bench%3Drss');
  return (list.body.items as any[]).filter((p) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')).length;
}

async function createPods(e: ChildEngine, n: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      const pod = { metadata: { name: `rss-${i}`, labels: { bench: 'rss' } }, spec: { nodeName: NODES[i % NODES.length], containers: [{ name: 'nginx', image: 'nginx:1.25' }] } };
      const r = await e.json('POST', '/api/v1/namespaces/default/pods', pod);
      if (r.status !== 201) throw new Error(`creating pod ${i}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sample = async (pid: number, n: number) => {
  const xs: number[] = [];
  for (let i = 0; i < n; i++, await sleep(1000)) xs.push(rssMiB(pid));
  return xs;
};

export async function run(): Promise<Figure[]> {
  const home = mkdtempSync(join(tmpdir(), 'skiff-bench-rss-'));
  writeFileSync(join(home, 'cluster.yaml'), CLUSTER);
  const e = await childEngine(home, { nofile: 65_536, env: { SKIFF_PULL_DELAY_MS: '100' } });
  try {
    await sleep(3000);
    const empty = await sample(e.pid, 5);
    const t0 = performance.now();
    await createPods(e, PODS);
    const deadline = Date.now() + 15 * 60_000;
    let ready = 0;
    while ((ready = await readyCount(e)) < PODS) {
      if (Date.now() > deadline) throw new Error(`only ${ready}/${PODS} pods Ready after 15 minutes`);
      await sleep(2000);
    }
    const seconds = (performance.now() - t0) / 1000;
    await sleep(5000);
    const full = await sample(e.pid, 10);
    return [
      summarize('engine RSS, empty cluster', 'MiB', empty),
      summarize(`engine RSS with ${PODS.toLocaleString('en')} running pods (built-in nginx, pre-bound)`, 'MiB', full, {
        anchor: 'k3s agent ≈ 256–275 MB (docs.k3s.io resource profiling)',
        note: `all Ready in ${seconds.toFixed(0)} s`,
      }),
    ];
  } finally {
    await e.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
