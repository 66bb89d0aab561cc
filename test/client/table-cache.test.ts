import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEngine, type Engine } from '../../source/engine/engine.ts';
import { KubeError } from '../../source/client/errors.ts';
import { loadKubeConfig } from '../../source/client/kubeconfig.ts';
import { resourcePath } from '../../source/client/resource.ts';
import { connect, type ClusterSession } from '../../source/client/session.ts';
import type { TableCache } from '../../source/client/table-cache.ts';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';

let t: TestEngine;
let session: ClusterSession;

beforeAll(async () => {
  // The burst test below needs 100 creates at once; the client's QPS limit has its own test.
  vi.stubEnv('SKIFF_QPS', '0');
  t = await startTestEngine({ apiOnly: true });
  session = await connect(loadKubeConfig({ path: t.engine.kubeconfigPath }), {
    cache: { coalesceMs: 50, maxBackoffMs: 200 },
  });
});
afterAll(async () => {
  session?.close();
  await t?.stop();
});

const names = (c: TableCache) =>
  c
    .getSnapshot()
    .rows.map((r) => r.name)
    .sort();
const cm = (name: string, ns = 'default') => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns },
  data: { a: '1' },
});
const create = (obj: any) =>
  session.transport.json({
    method: 'POST',
    path: resourcePath(session.registry.resolve(obj.kind)!, obj.metadata.namespace),
    body: obj,
  });

describe('discovery', () => {
  it('builds the registry from aggregated discovery, with k9s aliases', () => {
    const r = session.registry;
    expect(r.resolve('po')?.plural).toBe('pods');
    expect(r.resolve('deploy')?.group).toBe('apps');
    expect(r.resolve('dp')?.kind).toBe('Deployment');
    expect(r.resolve('Deployment')?.plural).toBe('deployments');
    expect(r.resolve('svc')?.kind).toBe('Service');
    expect(r.resolve('no')?.namespaced).toBe(false);
    expect(r.resolve('ns')?.plural).toBe('namespaces');
    expect(r.resolve('rs')?.plural).toBe('replicasets');
    expect(r.resolve('ev')?.group).toBe('');
    expect(r.completions()).toEqual(expect.arrayContaining(['po', 'deploy', 'svc', 'no', 'ns', 'rs', 'ev']));
    expect(session.version.gitVersion).toBe('v1.32.4');
    expect(session.context.name).toBe('skiff');
  });

  it('turns API errors into KubeErrors with the server message', async () => {
    const err: any = await session.transport.json({ path: '/api/v1/namespaces/default/pods/nope' }).catch((e) => e);
    expect(err).toBeInstanceOf(KubeError);
    expect(err.code).toBe(404);
    expect(err.message).toBe('pods "nope" not found');
  });
});

describe('TableCache on the engine', () => {
  it('lists in pages, then follows adds, updates and deletes from the watch', async () => {
    for (let i = 0; i < 5; i++) await create(cm(`page-${i}`, 'kube-public'));
    const { cache, release } = session.pool.acquire({
      resource: session.registry.resolve('cm')!,
      namespace: 'kube-public',
    });
    (cache as any).pageSize = 2;
    await vi.waitFor(() => expect(cache.getSnapshot().state).toBe('ready'));
    expect(names(cache).filter((n) => n.startsWith('page-'))).toHaveLength(5);
    expect(cache.getSnapshot().columns.map((c) => c.name)).toEqual(expect.arrayContaining(['Name', 'Data', 'Age']));
    const row = cache.getSnapshot().rows.find((r) => r.name === 'page-0')!;
    expect(row.object.kind).toBe('ConfigMap'); // includeObject=Object
    expect(row.object.data).toEqual({ a: '1' });

    await t.kubectl(['create', 'configmap', 'late', '-n', 'kube-public', '--from-literal=x=1', '--from-literal=y=2']);
    await vi.waitFor(() => expect(names(cache)).toContain('late'));
    expect(cache.getSnapshot().rows.find((r) => r.name === 'late')!.cells[1]).toBe('2');
    await t.kubectl(['patch', 'cm', 'page-1', '-n', 'kube-public', '--type=merge', '-p', '{"data":{"b":"2","c":"3"}}']);
    await vi.waitFor(() => expect(cache.getSnapshot().rows.find((r) => r.name === 'page-1')!.cells[1]).toBe('3'));
    await t.kubectl(['delete', 'cm', 'page-2', '-n', 'kube-public']);
    await vi.waitFor(() => expect(names(cache)).not.toContain('page-2'));
    release();
  });

  it('coalesces a burst of watch events into a few notifications', async () => {
    const { cache, release } = session.pool.acquire({ resource: session.registry.resolve('cm')!, namespace: 'burst' });
    await t.kubectl(['create', 'namespace', 'burst']);
    await vi.waitFor(() => expect(cache.getSnapshot().state).toBe('ready'));
    let notifications = 0;
    cache.subscribe(() => notifications++);
    await Promise.all(Array.from({ length: 100 }, (_, i) => create(cm(`b-${i}`, 'burst'))));
    await vi.waitFor(() => expect(names(cache).filter((n) => n.startsWith('b-'))).toHaveLength(100));
    expect(notifications).toBeLessThan(25);
    release();
  });

  it('a `resources` cache keeps metadata and the usage figures, not the pod, and says which rows a watch event changed', async () => {
    await t.kubectl(['create', 'namespace', 'figures']);
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'sized', namespace: 'figures', labels: { app: 'x' } },
      spec: {
        containers: [
          { name: 'a', image: 'nginx', resources: { requests: { cpu: '200m', memory: '64Mi' }, limits: { cpu: '1' } } },
          { name: 'b', image: 'nginx', resources: { requests: { cpu: '50m' } } },
        ],
      },
    };
    await create(pod);
    const { cache, release } = session.pool.acquire({
      resource: session.registry.resolve('po')!,
      namespace: 'figures',
      objects: 'resources',
    });
    await vi.waitFor(() => expect(names(cache)).toEqual(['sized']));
    const row = cache.getSnapshot().rows[0]!;
    expect(row.object.kind).toBe('PartialObjectMetadata');
    expect((row.object as { spec?: unknown }).spec).toBeUndefined();
    expect(row.object.metadata.labels).toEqual({ app: 'x' });
    expect(row.resources).toEqual({
      cpuRequest: 0.25,
      cpuLimit: 1,
      memoryRequest: 64 * 2 ** 20,
      memoryLimit: undefined,
    });
    const before = cache.getSnapshot();
    await t.kubectl(['label', 'pod', 'sized', '-n', 'figures', 'tier=web']);
    await vi.waitFor(() => expect(cache.getSnapshot().rows[0]!.object.metadata.labels?.tier).toBe('web'));
    const after = cache.getSnapshot();
    expect(after.changes?.since).toBe(before.version);
    expect(after.changes?.removed).toEqual([row]);
    expect(after.changes?.added).toEqual([after.rows[0]]);
    // A pod like it shares its label set and figures (one frozen copy per cache).
    await create({ ...pod, metadata: { ...pod.metadata, name: 'twin', labels: { app: 'x', tier: 'web' } } });
    await vi.waitFor(() => expect(cache.getSnapshot().rows).toHaveLength(2));
    const [a, b] = cache.getSnapshot().rows;
    expect(b!.object.metadata.labels).toBe(a!.object.metadata.labels);
    expect(b!.resources).toBe(a!.resources);
    expect(Object.isFrozen(a!.resources)).toBe(true);
    release();
  });

  it('filters by label selector on the server', async () => {
    await t.kubectl(['create', 'configmap', 'lab-a', '-n', 'kube-public']);
    await t.kubectl(['label', 'cm', 'lab-a', '-n', 'kube-public', 'tier=x']);
    const { cache, release } = session.pool.acquire({
      resource: session.registry.resolve('cm')!,
      namespace: 'kube-public',
      labelSelector: 'tier=x',
    });
    await vi.waitFor(() => expect(cache.getSnapshot().state).toBe('ready'));
    expect(names(cache)).toEqual(['lab-a']);
    release();
  });

  it('shares one cache per query and stops it after the last release', async () => {
    const q = { resource: session.registry.resolve('no')! };
    const a = session.pool.acquire(q);
    const b = session.pool.acquire(q);
    expect(a.cache).toBe(b.cache);
    a.release();
    b.release();
    expect(session.pool.peek(q)).toBe(a.cache); // lingers for a quick way back
  });
});

describe('reconnecting', () => {
  it('survives an engine restart: reconnects, re-lists after 410, and picks up changes', async () => {
    const home = (await import('node:fs')).mkdtempSync('/tmp/skiff-restart-');
    let engine: Engine = await startEngine({ home, port: 0, timeScale: 0.05, log: () => {}, apiOnly: true });
    const port = engine.port;
    const s = await connect(loadKubeConfig({ path: engine.kubeconfigPath }), {
      cache: { coalesceMs: 20, maxBackoffMs: 100 },
    });
    try {
      const { cache } = s.pool.acquire({ resource: s.registry.resolve('cm')!, namespace: 'default' });
      await vi.waitFor(() => expect(cache.getSnapshot().state).toBe('ready'));
      await engine.stop();
      await vi.waitFor(() => expect(cache.getSnapshot().state).toBe('reconnecting'), { timeout: 5000 });
      engine = await startEngine({ home, port, timeScale: 0.05, log: () => {}, apiOnly: true });
      // Same home: same token and CA, so the old session's credentials still work.
      await s.transport.json({
        path: '/api/v1/namespaces/default/configmaps',
        method: 'POST',
        body: cm('after-restart'),
      });
      await vi.waitFor(() => expect(names(cache)).toContain('after-restart'), { timeout: 10_000 });
      expect(cache.getSnapshot().state).toBe('ready');
    } finally {
      s.close();
      await engine.stop();
    }
  });

  it('fails fast when the server is unreachable', async () => {
    const kc = loadKubeConfig({ path: t.engine.kubeconfigPath });
    kc.clusters = kc.clusters.map((c) => ({ ...c, server: 'https://127.0.0.1:1' }));
    const t0 = Date.now();
    await expect(connect(kc, { timeoutMs: 2000 })).rejects.toThrow(
      /cannot reach https:\/\/127\.0\.0\.1:1: connection refused/,
    );
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});
