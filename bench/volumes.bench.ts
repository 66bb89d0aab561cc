// Volume benchmarks: 200 pods each mounting a ConfigMap and a Secret, create → all Ready, side by
// side with 200 pods without volumes; then how long a ConfigMap update takes to reach the files
// of all 200 (the kubelet's sync period is 10 s, as upstream's is 1 min).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KObject } from '../source/api-types/index.ts';
import { startEngine, type Engine } from '../source/engine/engine.ts';
import type { Figure } from './lib.ts';

const NODES = ['node1', 'node2'];
const N = 200;
const CLUSTER = `serviceCIDR: 127.96.0.0/16
nodePortRange: 30000-32767
nodes:
${NODES.map((n, i) => `  - {name: ${n}, role: worker, ip: 127.0.1.${i + 2}, podCIDR: 127.244.${(i + 1) * 4}.0/22, cpu: "64", memory: 256Gi, pods: "1000"}`).join('\n')}
`;

const isReady = (p: KObject) =>
  p.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');

function pod(name: string, node: string, volumes: boolean): KObject {
  const container = {
    name: 'web',
    image: 'nginx:1.25',
    ...(volumes
      ? {
          volumeMounts: [
            { name: 'config', mountPath: '/etc/app' },
            { name: 'secret', mountPath: '/etc/secret' },
          ],
        }
      : {}),
  };
  return {
    metadata: { name, namespace: 'default', labels: { bench: 'volumes' } },
    spec: {
      nodeName: node,
      automountServiceAccountToken: false,
      containers: [container],
      ...(volumes
        ? {
            volumes: [
              { name: 'config', configMap: { name: 'app-config' } },
              { name: 'secret', secret: { secretName: 'app-secret' } },
            ],
          }
        : {}),
    },
  };
}

async function createAndWait(e: Engine, prefix: string, n: number, volumes: boolean): Promise<number> {
  const store = e.ctx.store;
  const ready = new Set<string>();
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  const w = store.watch('pods', { labelSelector: 'bench=volumes' }, (ev) => {
    const name = ev.object.metadata.name!;
    if (!name.startsWith(prefix) || ev.type === 'DELETED' || !isReady(ev.object)) return;
    ready.add(name);
    if (ready.size === n) done();
  });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) store.create('pods', pod(`${prefix}${i}`, NODES[i % NODES.length]!, volumes));
  const timeout = setTimeout(() => done(), 180_000);
  await all;
  clearTimeout(timeout);
  w.stop();
  if (ready.size < n) throw new Error(`only ${ready.size}/${n} pods became Ready in 180 s`);
  return (performance.now() - t0) / 1000;
}

/** One GET to the pod's nginx. */
function firstLook(ip: string): Promise<void> {
  return new Promise((resolve, reject) => {
    get({ host: ip, port: 80, path: '/' }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    }).on('error', reject);
  });
}

export async function run(): Promise<Figure[]> {
  const home = mkdtempSync(join(tmpdir(), 'skiff-bench-volumes-'));
  writeFileSync(join(home, 'cluster.yaml'), CLUSTER);
  const e = await startEngine({ home, port: 0, log: () => {} });
  const store = e.ctx.store;
  try {
    store.create('configmaps', { metadata: { name: 'app-config', namespace: 'default' }, data: { greeting: 'v1' } });
    store.create('secrets', {
      metadata: { name: 'app-secret', namespace: 'default' },
      stringData: { password: 's3cret' },
    });
    await createAndWait(e, 'warm-', NODES.length, true);
    const plain = N / (await createAndWait(e, 'plain-', N, false));
    const withVolumes = N / (await createAndWait(e, 'vol-', N, true));

    // A built-in container writes its volumes' files at the first look (a request to nginx, an
    // exec): one request to each pod first, as a user's curl would, so that there are files to
    // update. The update: from the write to the moment every pod's file holds the new value.
    const pods = store
      .list('pods', { labelSelector: 'bench=volumes' })
      .items.filter((p) => p.metadata.name!.startsWith('vol-'));
    await Promise.all(pods.map((p) => firstLook(String(p.status?.podIP))));
    const files = pods.map((p) => join(home, 'pods', p.metadata.uid!, '.volumes', 'files', 'config', 'greeting'));
    for (const f of files) if (readFileSync(f, 'utf8') !== 'v1') throw new Error(`${f}: not written at the first look`);
    const t0 = performance.now();
    store.mutate('configmaps', 'default', 'app-config', (o) => {
      o.data = { ...(o.data as Record<string, string>), greeting: 'v2' };
    });
    const reached = new Set<string>();
    const deadline = t0 + 120_000;
    while (reached.size < files.length && performance.now() < deadline) {
      for (const f of files) if (!reached.has(f) && readFileSync(f, 'utf8') === 'v2') reached.add(f);
      await new Promise((r) => setTimeout(r, 50));
    }
    const propagation = (performance.now() - t0) / 1000;
    if (reached.size < files.length)
      throw new Error(`the update reached ${reached.size}/${files.length} pods in 120 s`);
    return [
      {
        name: `${N} pods mounting a ConfigMap and a Secret: create → all Ready`,
        unit: 'pods/s',
        median: Math.round(withVolumes),
        samples: 1,
        note: `${Math.round(plain)} pods/s without volumes in the same run (ratio ${(withVolumes / plain).toFixed(2)})`,
      },
      {
        name: `ConfigMap update reaches all ${N} pods' files`,
        unit: 's',
        median: Math.round(propagation * 100) / 100,
        samples: 1,
        anchor: 'within the kubelet sync period (10 s)',
      },
    ];
  } finally {
    await e.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
