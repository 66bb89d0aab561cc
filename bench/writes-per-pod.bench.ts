// Load-independent cost of a pod, from `scale` to Ready: store writes (resourceVersion increments,
// each one SQLite write), pod watch events and Event objects written, per pod. Scales a deployment
// 0 → N (SKIFF_BENCH_PODS, default 200) on an engine with real nginx containers.
// Run alone: `npx tsx bench/writes-per-pod.bench.ts` prints the figures.
import { rmSync } from 'node:fs';
import type { EventObject } from '../source/api-types/event.ts';
import type { KObject } from '../source/api-types/index.ts';
import { startEngine } from '../source/engine/engine.ts';
import type { Figure } from './lib.ts';
import { scaleHome } from './scale-home.ts';

export interface PodCost {
  pods: number;
  writes: number;
  podEvents: number;
  events: number;
  eventWrites: number;
  statements: number;
  byResource: Record<string, number>;
}

const isReady = (p: KObject) =>
  p.status?.conditions?.some((c: { type?: string; status?: string }) => c.type === 'Ready' && c.status === 'True');

export async function measure(n: number): Promise<PodCost> {
  const home = scaleHome(n, 'skiff-bench-wpp-');
  const pullDelay = process.env.SKIFF_PULL_DELAY_MS;
  process.env.SKIFF_PULL_DELAY_MS = '100';
  const e = await startEngine({ home, port: 0, timeScale: 1, log: () => {} });
  if (pullDelay === undefined) delete process.env.SKIFF_PULL_DELAY_MS;
  else process.env.SKIFF_PULL_DELAY_MS = pullDelay;
  const store = e.ctx.store;
  const template = (name: string, replicas: number) => ({
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
    },
  });
  const readyOf = (app: string) =>
    store.list('pods', { namespace: 'default' }).items.filter((p) => p.metadata.labels?.app === app && isReady(p))
      .length;
  const until = async (fn: () => boolean, what: string) => {
    const deadline = Date.now() + 900_000;
    while (!fn()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    // Warm-up: nginx pulled on both workers.
    store.create('deployments.apps', template('warm', 2) as KObject);
    await until(() => readyOf('warm') === 2, 'warm-up pods');
    store.create('deployments.apps', template('bench', 0) as KObject);
    await new Promise((r) => setTimeout(r, 500));
    const byResource: Record<string, number> = {};
    let podEvents = 0;
    let events = 0;
    let eventWrites = 0;
    const handles = [
      'pods',
      'events',
      'replicasets.apps',
      'deployments.apps',
      'endpoints',
      'endpointslices.discovery.k8s.io',
      'nodes',
      'leases.coordination.k8s.io',
    ].map((r) =>
      store.watch(r, { resourceVersion: String(store.currentRV()) }, (ev) => {
        byResource[r] = (byResource[r] ?? 0) + 1;
        if (r === 'pods' && ev.object.metadata.labels?.app === 'bench') podEvents++;
        if (r === 'events' && (ev.object as EventObject).involvedObject?.name?.startsWith('bench-')) {
          eventWrites++;
          if (ev.type === 'ADDED') events++;
        }
      }),
    );
    const rv0 = store.currentRV();
    const st0 = store.sqliteStatements();
    store.mutate('deployments.apps', 'default', 'bench', (d) => {
      d.spec.replicas = n;
    });
    await until(() => readyOf('bench') === n, `${n} Ready pods`);
    const writes = store.currentRV() - rv0;
    const statements = store.sqliteStatements() - st0;
    for (const h of handles) h.stop();
    return { pods: n, writes, podEvents, events, eventWrites, statements, byResource };
  } finally {
    await e.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

export async function run(): Promise<Figure[]> {
  const n = Number(process.env.SKIFF_BENCH_PODS ?? 200);
  const c = await measure(n);
  const per = (x: number) => Math.round((x / c.pods) * 100) / 100;
  const note = `scale 0 → ${n}, load-independent counts`;
  return [
    {
      name: 'store writes (resourceVersions, SQLite writes) per pod, scale → Ready',
      unit: 'writes/pod',
      median: per(c.writes),
      samples: 1,
      note,
    },
    {
      name: 'SQLite statements per pod, scale → Ready',
      unit: 'statements/pod',
      median: per(c.statements),
      samples: 1,
      note,
    },
    { name: 'pod watch events per pod, scale → Ready', unit: 'events/pod', median: per(c.podEvents), samples: 1, note },
    {
      name: 'Event objects created per pod, scale → Ready',
      unit: 'Events/pod',
      median: per(c.events),
      samples: 1,
      note: `${per(c.eventWrites)} Event writes/pod`,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.env.SKIFF_BENCH_PODS ?? 200);
  const c = await measure(n);
  const per = (x: number) => (x / c.pods).toFixed(2);
  console.log(
    `pods ${c.pods}: writes/pod ${per(c.writes)}, pod watch events/pod ${per(c.podEvents)}, Events/pod ${per(c.events)} (Event writes/pod ${per(c.eventWrites)}), SQLite statements/pod ${per(c.statements)}`,
  );
  console.log(
    'watch events by resource:',
    JSON.stringify(Object.fromEntries(Object.entries(c.byResource).map(([k, v]) => [k, per(v)]))),
  );
  process.exit(0);
}
