import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadKubeConfig } from '../../source/client/kubeconfig.ts';
import { connect, type ClusterSession } from '../../source/client/session.ts';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.ts';

// Client-level recovery through the fault proxy (the pty tests in test/e2e/flaky-network.test.ts
// show the same failures on screen).
let t: TestEngine;
let proxy: FaultProxy;
let session: ClusterSession;

beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
  for (let i = 0; i < 4; i++) await t.kubectl(['create', 'configmap', `c-${i}`]);
  proxy = await startFaultProxy(t);
  session = await connect(loadKubeConfig({ path: proxy.kubeconfigPath }), { cache: { pageSize: 2, coalesceMs: 20 } });
}, 60_000);
afterAll(async () => {
  session?.close();
  await proxy?.close();
  await t?.stop();
});

describe('an expired continue token', () => {
  it('re-lists from the start with back-off, not at once', async () => {
    proxy.set({ expireContinue: 3 });
    const { cache, release } = session.pool.acquire({
      resource: session.registry.resolve('cm')!,
      namespace: 'default',
    });
    await vi.waitFor(() => expect(cache.getSnapshot().rows.filter((r) => r.name.startsWith('c-'))).toHaveLength(4), {
      timeout: 30_000,
    });
    const firstPages = proxy.requests.filter(
      (r) => r.resource === 'configmaps' && !r.watch && !r.query.get('continue'),
    );
    expect(firstPages.length).toBe(4);
    const gaps = firstPages.slice(1).map((r, i) => r.at - firstPages[i]!.at);
    // 500 ms, then doubling: never a tight loop against a server that just compacted.
    expect(gaps[0]).toBeGreaterThanOrEqual(490);
    expect(gaps[1]).toBeGreaterThanOrEqual(990);
    expect(gaps[2]).toBeGreaterThanOrEqual(1990);
    release();
  }, 60_000);
});

describe('discovery', () => {
  it('keeps a group marked Stale and picks up a CRD on refresh', async () => {
    proxy.set({ staleGroups: ['batch'] });
    await t.kubectl(['apply', '-f', '-'], {
      input: `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { plural: widgets, singular: widget, kind: Widget }
  versions: [{ name: v1, served: true, storage: true, schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } } }]
`,
    });
    await t.kubectl(['wait', '--for=condition=established', 'crd/widgets.example.com']);
    expect(session.registry.resolve('widgets')).toBeUndefined();
    expect(await session.rediscover()).toBe(true);
    expect(session.registry.resolve('widgets')?.group).toBe('example.com');
    expect(session.registry.resolve('cj')?.plural).toBe('cronjobs');
    expect(session.incompleteGroups).toContain('batch');
    expect(await session.rediscover()).toBe(false);
    proxy.set({});
  }, 60_000);
});

describe('a quiet Table watch', () => {
  it('gets bookmarks from the engine (every 30 s on its clock: 1.5 s at the test time scale), so the silence check never takes it for dead', async () => {
    const lines: string[] = [];
    const stream = session.transport.stream({
      path: '/api/v1/namespaces/kube-public/configmaps',
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
      query: { watch: 'true', allowWatchBookmarks: 'true', resourceVersion: '0' },
      onData: (c) => lines.push(...c.toString('utf8').split('\n').filter(Boolean)),
    });
    await stream.started;
    await vi.waitFor(() => expect(lines.some((l) => JSON.parse(l).type === 'BOOKMARK')).toBe(true), {
      timeout: 45_000,
      interval: 500,
    });
    stream.abort();
    const bookmark = lines.map((l) => JSON.parse(l)).find((e) => e.type === 'BOOKMARK');
    expect(bookmark.object.kind).toBe('Table');
    expect(Number(bookmark.object.metadata.resourceVersion)).toBeGreaterThan(0);
  }, 60_000);
});
