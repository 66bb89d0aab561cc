// Kubelet benchmarks: pods pre-bound to nodes, from create to all Ready (built-in nginx and host
// processes), with the engine's RSS at the end. The image is pulled once per node beforehand.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KObject } from '../source/api-types/index.ts';
import { startEngine, type Engine } from '../source/engine/engine.ts';
import type { Figure } from './lib.ts';

const NODES = ['node1', 'node2'];

// Two workers with room for 1,000 pods each (a /22 of pod IPs apiece).
const CLUSTER = `serviceCIDR: 127.96.0.0/16
nodePortRange: 30000-32767
nodes:
${NODES.map((n, i) => `  - {name: ${n}, role: worker, ip: 127.0.1.${i + 2}, podCIDR: 127.244.${(i + 1) * 4}.0/22, cpu: "64", memory: 256Gi, pods: "1000"}`).join('\n')}
`;

function podObject(name: string, node: string, container: KObject['spec']): KObject {
  return {
    metadata: { name, namespace: 'default', labels: { bench: 'pods' } },
    spec: { nodeName: node, containers: [container] },
  };
}

const isReady = (p: KObject) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');

/** Create `n` pods at once and wait until every one is Ready; returns seconds. */
async function createAndWait(e: Engine, prefix: string, n: number, container: KObject['spec']): Promise<number> {
  const store = e.ctx.store;
  const ready = new Set<string>();
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  const w = store.watch('pods', { labelSelector: 'bench=pods' }, (ev) => {
    const name = ev.object.metadata.name!;
    if (!name.startsWith(prefix) || ev.type === 'DELETED' || !isReady(ev.object)) return;
    ready.add(name);
    if (ready.size === n) done();
  });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) store.create('pods', podObject(`${prefix}${i}`, NODES[i % NODES.length]!, container));
  const timeout = setTimeout(() => done(), 120_000);
  await all;
  clearTimeout(timeout);
  w.stop();
  if (ready.size < n) throw new Error(`only ${ready.size}/${n} pods became Ready in 120 s`);
  return (performance.now() - t0) / 1000;
}

async function deleteAll(e: Engine): Promise<void> {
  const store = e.ctx.store;
  for (const p of store.list('pods', { labelSelector: 'bench=pods' }).items)
    store.delete('pods', 'default', p.metadata.name!, { gracePeriodSeconds: 0 });
}

async function scenario(label: string, n: number, container: KObject['spec'], anchor: string): Promise<Figure[]> {
  const home = mkdtempSync(join(tmpdir(), 'skiff-bench-pods-'));
  writeFileSync(join(home, 'cluster.yaml'), CLUSTER);
  const e = await startEngine({ home, port: 0, log: () => {} });
  try {
    await createAndWait(e, 'warm-', NODES.length, container);
    await deleteAll(e);
    const cpu0 = process.cpuUsage();
    const seconds = await createAndWait(e, 'p-', n, container);
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const rss = process.memoryUsage().rss / 2 ** 20;
    const rate = n / seconds;
    return [
      {
        name: `${n} ${label} pods: create → all Ready`,
        unit: 'pods/s',
        median: Math.round(rate),
        samples: 1,
        anchor,
        note: `${seconds.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s engine CPU`,
      },
      { name: `engine RSS with ${n} ${label} pods running`, unit: 'MiB', median: Math.round(rss), samples: 1 },
    ];
  } finally {
    await e.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

export async function run(): Promise<Figure[]> {
  return [
    ...(await scenario(
      'built-in nginx',
      1000,
      { name: 'nginx', image: 'nginx:1.25' },
      'target > 167 pods/s (1,000 in 6 s)',
    )),
    ...(await scenario(
      'host-process (busybox sleep)',
      50,
      { name: 'sleep', image: 'busybox:1.36', command: ['sleep', '3600'] },
      '',
    )),
  ];
}
