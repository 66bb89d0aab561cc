import { afterEach, describe, expect, it } from 'vitest';
import type { Component } from '../../../source/engine/context.ts';
import { endpointsController } from '../../../source/engine/controllers/endpoints.ts';
import { endpointSlicesController, SLICES } from '../../../source/engine/controllers/endpointslices.ts';
import { runPod, setPodStatus, testContext, tick } from './endpoints-helpers.ts';
import type { Endpoints, EndpointSubset } from 'kubernetes-types/core/v1.d.ts';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.d.ts';
import type { Kind } from '../../../source/api-types/index.ts';

const running: Component[] = [];
afterEach(async () => {
  for (const c of running.splice(0)) await c.stop();
});

function setup() {
  const ctx = testContext();
  const eps = endpointsController();
  const slices = endpointSlicesController();
  eps.start(ctx);
  slices.start(ctx);
  running.push(eps, slices);
  return ctx;
}

type Ctx = ReturnType<typeof testContext>;

const slicesOf = (ctx: Ctx, svc: string): Kind<EndpointSlice>[] =>
  ctx.store.list(SLICES, { namespace: 'default', labelSelector: `kubernetes.io/service-name=${svc}` }).items;

const endpointsOf = (ctx: Ctx, name: string): Kind<Endpoints> => ctx.store.get('endpoints', 'default', name)!;

/** The Endpoints' first subset; the test fails here when there is none. */
function firstSubset(ep: Kind<Endpoints>): EndpointSubset {
  expect(ep.subsets?.[0]).toBeDefined();
  return ep.subsets![0]!;
}

describe('Endpoints and EndpointSlice controllers', () => {
  it('list ready and not-ready pods with unnamed ports as name ""', async () => {
    const ctx = setup();
    const svc = ctx.store.create('services', {
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: { selector: { app: 'web' }, ports: [{ port: 81, targetPort: 80 }] },
    });
    runPod(ctx.store, 'a', { ip: '127.244.1.10' });
    runPod(ctx.store, 'b', { ip: '127.244.2.10', node: 'node2' });
    runPod(ctx.store, 'c', { ip: '127.244.1.11', ready: false });
    runPod(ctx.store, 'other', { ip: '127.244.1.12', labels: { app: 'other' } });
    await tick();
    const ep = endpointsOf(ctx, 'web');
    expect(ep.metadata.labels).toEqual({ app: 'web' });
    expect(ep.subsets).toHaveLength(1);
    expect(firstSubset(ep).addresses?.map((a) => a.ip)).toEqual(['127.244.1.10', '127.244.2.10']);
    expect(firstSubset(ep).addresses?.[1]).toMatchObject({
      nodeName: 'node2',
      targetRef: { kind: 'Pod', namespace: 'default', name: 'b' },
    });
    expect(firstSubset(ep).notReadyAddresses?.map((a) => a.ip)).toEqual(['127.244.1.11']);
    expect(firstSubset(ep).ports).toEqual([{ port: 80, protocol: 'TCP' }]);

    const [slice, ...rest] = slicesOf(ctx, 'web');
    expect(rest).toHaveLength(0);
    expect(slice!.metadata.generateName).toBe('web-');
    expect(slice!.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(slice!.metadata.labels).toEqual({
      app: 'web',
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    expect(slice!.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Service',
        name: 'web',
        uid: svc.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(slice!.addressType).toBe('IPv4');
    expect(slice!.ports).toEqual([{ name: '', port: 80, protocol: 'TCP' }]);
    expect(slice!.endpoints).toEqual([
      {
        addresses: ['127.244.1.10'],
        conditions: { ready: true, serving: true, terminating: false },
        nodeName: 'node1',
        targetRef: {
          kind: 'Pod',
          namespace: 'default',
          name: 'a',
          uid: ctx.store.get('pods', 'default', 'a')!.metadata.uid,
        },
      },
      expect.objectContaining({
        addresses: ['127.244.1.11'],
        conditions: { ready: false, serving: false, terminating: false },
      }),
      expect.objectContaining({ addresses: ['127.244.2.10'], nodeName: 'node2' }),
    ]);
  });

  it('resolve named target ports per pod', async () => {
    const ctx = setup();
    ctx.store.create('services', {
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        selector: { app: 'web' },
        ports: [
          { name: 'http', port: 80, targetPort: 'web' },
          { name: 'metrics', port: 9100, targetPort: 9100 },
        ],
      },
    });
    runPod(ctx.store, 'a', { ip: '127.244.1.10', ports: [{ name: 'web', containerPort: 8080 }] });
    runPod(ctx.store, 'b', { ip: '127.244.1.11', ports: [{ name: 'web', containerPort: 9090 }] });
    runPod(ctx.store, 'c', { ip: '127.244.1.12', ports: [{ containerPort: 80 }] });
    await tick();
    const ep = endpointsOf(ctx, 'web');
    const byPort = Object.fromEntries(
      (ep.subsets ?? []).map((s) => [
        s.ports?.map((p) => `${p.name}:${p.port}`).join(','),
        s.addresses?.map((a) => a.ip),
      ]),
    );
    expect(byPort).toEqual({
      'http:8080,metrics:9100': ['127.244.1.10'],
      'http:9090,metrics:9100': ['127.244.1.11'],
      'metrics:9100': ['127.244.1.12'],
    });
    const slices = slicesOf(ctx, 'web');
    expect(slices).toHaveLength(3);
    const ports = slices.map((s) => JSON.stringify(s.ports)).sort();
    expect(ports).toContain(
      JSON.stringify([
        { name: 'http', port: 9090, protocol: 'TCP' },
        { name: 'metrics', port: 9100, protocol: 'TCP' },
      ]),
    );
  });

  it('mark terminating pods in slices and drop them from Endpoints', async () => {
    const ctx = setup();
    ctx.store.create('services', {
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
    });
    runPod(ctx.store, 'a', { ip: '127.244.1.10' });
    runPod(ctx.store, 'b', { ip: '127.244.1.11' });
    await tick();
    ctx.store.delete('pods', 'default', 'a');
    expect(ctx.store.get('pods', 'default', 'a')!.metadata.deletionTimestamp).toBeTruthy();
    await tick();
    const ep = endpointsOf(ctx, 'web');
    expect(firstSubset(ep).addresses?.map((a) => a.ip)).toEqual(['127.244.1.11']);
    expect(firstSubset(ep).notReadyAddresses).toBeUndefined();
    const [slice] = slicesOf(ctx, 'web');
    expect(slice!.endpoints?.[0]).toMatchObject({
      addresses: ['127.244.1.10'],
      conditions: { ready: false, serving: true, terminating: true },
    });
    ctx.store.forceRemove('pods', 'default', 'a');
    await tick();
    expect(slicesOf(ctx, 'web')[0]!.endpoints?.map((e) => e.addresses[0])).toEqual(['127.244.1.11']);
  });

  it('follow readiness, relabeling and scale to zero; keep an empty slice', async () => {
    const ctx = setup();
    ctx.store.create('services', {
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
    });
    await tick();
    expect(endpointsOf(ctx, 'web').subsets).toBeUndefined();
    expect(slicesOf(ctx, 'web')).toMatchObject([{ endpoints: [] }]);
    runPod(ctx.store, 'a', { ip: '127.244.1.10', ready: false });
    await tick();
    expect(firstSubset(endpointsOf(ctx, 'web')).notReadyAddresses).toHaveLength(1);
    setPodStatus(ctx.store, 'a', '127.244.1.10', true);
    await tick();
    expect(firstSubset(endpointsOf(ctx, 'web')).addresses).toHaveLength(1);
    ctx.store.mutate('pods', 'default', 'a', (p) => {
      p.metadata.labels = { app: 'moved' };
    });
    await tick();
    expect(endpointsOf(ctx, 'web').subsets).toBeUndefined();
    expect(slicesOf(ctx, 'web')).toMatchObject([{ endpoints: [] }]);
    expect(slicesOf(ctx, 'web')[0]!.ports).toBeUndefined();
  });

  it('remove their output when the service goes, and restore deleted output', async () => {
    const ctx = setup();
    ctx.store.create('services', {
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
    });
    runPod(ctx.store, 'a', { ip: '127.244.1.10' });
    await tick();
    const name = slicesOf(ctx, 'web')[0]!.metadata.name!;
    ctx.store.delete(SLICES, 'default', name);
    ctx.store.delete('endpoints', 'default', 'web');
    await tick();
    expect(slicesOf(ctx, 'web')).toHaveLength(1);
    expect(ctx.store.get('endpoints', 'default', 'web')).toBeTruthy();
    ctx.store.delete('services', 'default', 'web');
    await tick();
    expect(slicesOf(ctx, 'web')).toHaveLength(0);
    expect(ctx.store.get('endpoints', 'default', 'web')).toBeUndefined();
  });

  it('leave services without a selector alone (default/kubernetes)', async () => {
    const ctx = setup();
    ctx.store.create('services', {
      metadata: { name: 'manual', namespace: 'default' },
      spec: { ports: [{ port: 80 }] },
    });
    ctx.store.create('endpoints', {
      metadata: { name: 'manual', namespace: 'default' },
      subsets: [{ addresses: [{ ip: '127.0.0.5' }], ports: [{ port: 80 }] }],
    });
    await tick();
    expect(firstSubset(endpointsOf(ctx, 'manual')).addresses?.[0]?.ip).toBe('127.0.0.5');
    expect(slicesOf(ctx, 'manual')).toHaveLength(0);
  });

  it('make pod changes visible within 100 ms', async () => {
    const ctx = setup();
    ctx.store.create('services', {
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
    });
    await tick();
    const t0 = performance.now();
    runPod(ctx.store, 'a', { ip: '127.244.1.10' });
    while (!slicesOf(ctx, 'web')[0]?.endpoints?.length) await new Promise((r) => setTimeout(r, 1));
    expect(performance.now() - t0).toBeLessThan(100);
  });

  it('clean up after services deleted while they were not running', async () => {
    const ctx = testContext();
    const first = [endpointsController(), endpointSlicesController()];
    first.forEach((c) => c.start(ctx));
    ctx.store.create('services', {
      metadata: { name: 'gone', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
    });
    runPod(ctx.store, 'a', { ip: '127.244.1.10' });
    await tick();
    expect(slicesOf(ctx, 'gone')).toHaveLength(1);
    first.forEach((c) => c.stop());
    ctx.store.delete('services', 'default', 'gone');
    const second = [endpointsController(), endpointSlicesController()];
    second.forEach((c) => c.start(ctx));
    running.push(...second);
    await tick();
    expect(slicesOf(ctx, 'gone')).toHaveLength(0);
    expect(ctx.store.get('endpoints', 'default', 'gone')).toBeUndefined();
  });
});
