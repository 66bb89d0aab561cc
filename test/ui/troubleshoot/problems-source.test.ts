import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KObject } from '../../../source/api-types/index.ts';
import { CachePool } from '../../../source/client/cache-pool.ts';
import { discoverResources } from '../../../source/client/discovery.ts';
import { loadKubeConfig } from '../../../source/client/kubeconfig.ts';
import { ResourceRegistry } from '../../../source/client/registry.ts';
import type { CacheQuery, Row, TableSnapshot } from '../../../source/client/table-cache.ts';
import { Transport } from '../../../source/client/transport.ts';
import type { ProblemKind } from '../../../source/ui/problems/model.ts';
import { deriveTable, memoDerive } from '../../../source/ui/table/derive.ts';
import { ProblemsSource } from '../../../source/ui/troubleshoot/problems-source.ts';
import { startTestEngine, waitFor, type TestEngine } from '../../helpers/engine.ts';

// The problems view's source against a real engine's watches: what one watch event changes.
let t: TestEngine;
let transport: Transport;
let pool: CachePool;
let source: ProblemsSource;
const NS = 'default';

const container = (crash: boolean) => ({
  name: 'c',
  ready: !crash,
  restartCount: crash ? 3 : 0,
  image: 'nginx:1.25',
  imageID: '',
  state: crash ? { waiting: { reason: 'CrashLoopBackOff' } } : { running: { startedAt: new Date().toISOString() } },
  lastState: crash ? { terminated: { reason: 'Error', exitCode: 1 } } : {},
});

function setPod(name: string, crash: boolean): void {
  const store = t.engine.ctx.store;
  if (!store.get('pods', NS, name))
    store.create('pods', {
      metadata: { name, namespace: NS, labels: { app: 'web' } },
      spec: { nodeName: 'node1', containers: [{ name: 'c', image: 'nginx:1.25' }] },
    });
  store.mutate(
    'pods',
    NS,
    name,
    (o: KObject) => {
      o.status = {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: crash ? 'False' : 'True' }],
        containerStatuses: [container(crash)],
      };
    },
    { subresource: 'status' },
  );
}

/** Every snapshot the source publishes from now on. */
function record(): TableSnapshot[] {
  const seen: TableSnapshot[] = [];
  source.subscribe(() => seen.push(source.getSnapshot()));
  return seen;
}

const objects = (rows: readonly Row[]) => rows.map((r) => r.cells[1]);
const has = (what: string) => () => objects(source.getSnapshot().rows).includes(what) || undefined;
const lacks = (what: string) => () => !objects(source.getSnapshot().rows).includes(what) || undefined;

beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
  transport = new Transport(loadKubeConfig({ path: t.engine.kubeconfigPath }));
  const registry = new ResourceRegistry(await discoverResources(transport));
  pool = new CachePool(transport, { coalesceMs: 20 });
  const kinds: Array<[ProblemKind, string]> = [
    ['pods', 'pods'],
    ['services', 'services'],
    ['endpointslices', 'endpointslices.discovery.k8s.io'],
  ];
  const queries: Partial<Record<ProblemKind, CacheQuery>> = {};
  for (const [kind, id] of kinds) queries[kind] = { resource: registry.get(id)!, namespace: NS };
  setPod('fine', false);
  setPod('crash', true);
  t.engine.ctx.store.create('services', {
    metadata: { name: 'web', namespace: NS },
    spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
  });
  source = new ProblemsSource(pool, queries, false);
}, 60_000);

afterAll(async () => {
  source?.close();
  transport?.close();
  await t?.stop();
});

describe('problems source', () => {
  it("patches in one pod's change without touching the other rows, and the table patches to the same order", async () => {
    await waitFor(has('pod/crash'));
    await waitFor(has('svc/web'));
    const derive = memoDerive();
    const opts = { filter: '', sort: null, wide: false, showNamespace: false };
    const before = source.getSnapshot();
    derive(before, opts);
    const kept = before.rows.find((r) => r.cells[1] === 'pod/crash')!;
    const seen = record();
    setPod('fine', true);
    await waitFor(has('pod/fine'));
    const changed = seen.flatMap((s) => [...(s.changes?.removed ?? []), ...(s.changes?.added ?? [])]);
    expect(new Set(objects(changed))).toEqual(new Set(['pod/fine']));
    const after = source.getSnapshot();
    expect(after.rows.find((r) => r.cells[1] === 'pod/crash')).toBe(kept);
    expect(after.changes?.since).toBe(seen.length > 1 ? seen.at(-2)!.version : before.version);
    // The crash loops rank above the Service; the patched table equals a fresh derive.
    for (const s of seen) derive(s, opts);
    expect(objects(derive(after, opts).rows)).toEqual(objects(deriveTable(after, opts).rows));
    expect(objects(after.rows)).toEqual(['pod/crash', 'pod/fine', 'svc/web']);
    // Reading the snapshot again (what a keypress does) computes nothing new.
    expect(source.getSnapshot()).toBe(after);
  });

  it("clears a Service's problem when an EndpointSlice of it gets a ready endpoint", async () => {
    const seen = record();
    t.engine.ctx.store.create('endpointslices.discovery.k8s.io', {
      metadata: { name: 'web-1', namespace: NS, labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['127.0.0.9'], conditions: { ready: true } }],
    });
    await waitFor(lacks('svc/web'));
    const changed = seen.flatMap((s) => [...(s.changes?.removed ?? []), ...(s.changes?.added ?? [])]);
    expect(objects(changed)).toEqual(['svc/web']);
    expect(objects(source.getSnapshot().rows)).toEqual(['pod/crash', 'pod/fine']);
  });
});
