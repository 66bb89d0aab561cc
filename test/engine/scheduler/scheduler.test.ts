import { afterEach, describe, expect, it } from 'vitest';
import type { KObject } from '../../../source/api-types/index.ts';
import { bindPod } from '../../../source/engine/scheduler/bind.ts';
import { milliCPU, parseQuantity, podRequests, units } from '../../../source/engine/scheduler/resources.ts';
import { Scheduler } from '../../../source/engine/scheduler/scheduler.ts';
import { type Cluster, events, nodeObject, startCluster } from '../controllers/harness.ts';

let cluster: Cluster | undefined;
afterEach(() => cluster?.stop());

async function start(nodes?: KObject[]): Promise<Cluster> {
  cluster = await startCluster(() => [new Scheduler()], { nodes });
  cluster.kubelet.enabled = false;
  return cluster;
}

function pod(name: string, spec: any = {}, meta: any = {}): KObject {
  const { resources, ports, ...rest } = spec;
  return {
    metadata: { name, namespace: 'default', ...meta },
    spec: {
      containers: [{ name: 'c', image: 'nginx', ...(resources ? { resources } : {}), ...(ports ? { ports } : {}) }],
      ...rest,
    },
  };
}

const nodeOf = (c: Cluster, name: string) => c.store.get('pods', 'default', name)!.spec.nodeName;
const scheduledCond = (c: Cluster, name: string) =>
  c.store.get('pods', 'default', name)!.status.conditions?.find((x: any) => x.type === 'PodScheduled');

describe('quantities', () => {
  it('parses cpu and memory like the apiserver', () => {
    expect(milliCPU('100m')).toBe(100);
    expect(milliCPU('1.5')).toBe(1500);
    expect(milliCPU(2)).toBe(2000);
    expect(units('128Mi')).toBe(128 * 2 ** 20);
    expect(units('1G')).toBe(1e9);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(Number.isNaN(parseQuantity('abc'))).toBe(true);
    const req = podRequests({
      containers: [
        { resources: { requests: { cpu: '100m' } } },
        { resources: { limits: { cpu: '200m', memory: '1Gi' } } },
      ],
      initContainers: [{ resources: { requests: { cpu: '500m' } } }],
    });
    expect(req.get('cpu')).toBe(500);
    expect(req.get('memory')).toBe(2 ** 30);
  });
});

describe('scheduler', () => {
  it('binds with PodScheduled=True and a Scheduled event, never onto the tainted master', async () => {
    const c = await start();
    for (let i = 0; i < 6; i++) c.store.create('pods', pod(`p${i}`));
    await c.settle();
    const nodes = [0, 1, 2, 3, 4, 5].map((i) => nodeOf(c, `p${i}`));
    expect(nodes.filter((n) => n === 'node1')).toHaveLength(3);
    expect(nodes.filter((n) => n === 'node2')).toHaveLength(3);
    expect(scheduledCond(c, 'p0')).toMatchObject({ status: 'True' });
    const ev = events(c.store, 'p0')[0]!;
    expect(ev).toMatchObject({
      reason: 'Scheduled',
      type: 'Normal',
      message: `Successfully assigned default/p0 to ${nodes[0]}`,
      source: { component: 'default-scheduler' },
    });
  });

  it('spreads pods of one owner: 3 replicas land 2+1', async () => {
    const c = await start();
    const owner = {
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true }],
    };
    // Unrelated load on node1 must not stop the spreading.
    c.store.create('pods', pod('other', { nodeName: 'node1' }));
    for (let i = 0; i < 3; i++) c.store.create('pods', pod(`r${i}`, {}, owner));
    await c.settle();
    const counts = ['r0', 'r1', 'r2'].map((n) => nodeOf(c, n)).sort();
    expect(new Set(counts)).toEqual(new Set(['node1', 'node2']));
  });

  it('reports FailedScheduling with the real message and retries when room appears', async () => {
    const c = await start();
    c.store.create('pods', pod('big', { resources: { requests: { cpu: '3' } } }));
    c.store.create('pods', pod('huge', { resources: { requests: { cpu: '64' } } }));
    await c.settle();
    const bigNode = nodeOf(c, 'big');
    expect(bigNode).toMatch(/^node[12]$/);
    expect(nodeOf(c, 'huge')).toBeUndefined();
    const msg =
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. ' +
      'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..';
    expect(scheduledCond(c, 'huge')).toMatchObject({ status: 'False', reason: 'Unschedulable', message: msg });
    expect(events(c.store, 'huge')[0]).toMatchObject({ type: 'Warning', reason: 'FailedScheduling', message: msg });

    c.store.create('pods', pod('needs3', { resources: { requests: { cpu: '3' } } }));
    c.store.create('pods', pod('blocked', { resources: { requests: { cpu: '3' } } }));
    await c.settle();
    expect(nodeOf(c, 'blocked')).toBeUndefined();
    // Freeing a node lets the pending pod in (after its back-off).
    c.store.forceRemove('pods', 'default', 'big');
    await c.settle();
    await c.advance(3000);
    expect(nodeOf(c, 'blocked')).toBe(bigNode);
  });

  it('honours cordon, nodeSelector, tolerations, hostPort and the pods limit', async () => {
    const c = await start([
      nodeObject('master', { controlPlane: true }),
      nodeObject('node1', { pods: '2' }),
      nodeObject('node2'),
    ]);
    c.store.mutate('nodes', undefined, 'node2', (n) => {
      n.spec.unschedulable = true;
    });
    c.store.create(
      'pods',
      pod('sel', {
        nodeSelector: { 'kubernetes.io/hostname': 'master' },
        tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
      }),
    );
    c.store.create('pods', pod('port1', { ports: [{ containerPort: 80, hostPort: 8080 }] }));
    c.store.create('pods', pod('port2', { ports: [{ containerPort: 80, hostPort: 8080 }] }));
    await c.settle();
    expect(nodeOf(c, 'sel')).toBe('master');
    expect(nodeOf(c, 'port1')).toBe('node1');
    expect(scheduledCond(c, 'port2').message).toBe(
      "0/3 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) were unschedulable. " +
        'preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling..',
    );
    c.store.create('pods', pod('x'));
    c.store.create('pods', pod('y'));
    await c.settle();
    expect(nodeOf(c, 'x')).toBe('node1');
    expect(scheduledCond(c, 'y').message).toContain('1 Too many pods');
    // Uncordon: the waiting pods get node2.
    c.store.mutate('nodes', undefined, 'node2', (n) => {
      delete n.spec.unschedulable;
    });
    await c.settle();
    await c.advance(3000);
    expect(nodeOf(c, 'y')).toBe('node2');
    expect(nodeOf(c, 'port2')).toBe('node2');
  });

  it('skips pods with a preset nodeName or another scheduler', async () => {
    const c = await start();
    c.store.create('pods', pod('pinned', { nodeName: 'master' }));
    c.store.create('pods', pod('other', { schedulerName: 'someone-else' }));
    await c.settle();
    expect(nodeOf(c, 'pinned')).toBe('master');
    expect(nodeOf(c, 'other')).toBeUndefined();
    expect(events(c.store)).toHaveLength(0);
  });

  it('bindPod refuses a second node', async () => {
    const c = await start();
    c.store.create('pods', pod('p', { schedulerName: 'manual' }));
    bindPod(c.store, 'default', 'p', 'node1');
    expect(() => bindPod(c.store, 'default', 'p', 'node2')).toThrow(/already assigned/);
    expect(scheduledCond(c, 'p').status).toBe('True');
  });

  it('bindPod writes nodeName and PodScheduled=True in one write (one watch event)', async () => {
    const c = await start();
    c.store.create('pods', pod('p', { schedulerName: 'manual' }));
    const seen: KObject[] = [];
    const w = c.store.watch('pods', { resourceVersion: String(c.store.currentRV()) }, (ev) => seen.push(ev.object));
    bindPod(c.store, 'default', 'p', 'node1');
    w.stop();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.spec.nodeName).toBe('node1');
    expect(seen[0]!.status.conditions.find((x: any) => x.type === 'PodScheduled')).toMatchObject({ status: 'True' });
    // Binding again to the same node changes nothing.
    const rv = c.store.currentRV();
    bindPod(c.store, 'default', 'p', 'node1');
    expect(c.store.currentRV()).toBe(rv);
  });

  it('schedules 1,000 pending pods, evenly and within capacity', async () => {
    const c = await start([
      nodeObject('master', { controlPlane: true }),
      nodeObject('node1', { pods: '600' }),
      nodeObject('node2', { pods: '600' }),
    ]);
    for (let i = 0; i < 1000; i++) c.store.create('pods', pod(`p${i}`, { resources: { requests: { cpu: '1m' } } }));
    await c.settle();
    const pods = c.store.list('pods').items;
    const per = new Map<string, number>();
    for (const p of pods) per.set(p.spec.nodeName, (per.get(p.spec.nodeName) ?? 0) + 1);
    expect(per.get('node1')! + per.get('node2')!).toBe(1000);
    expect(Math.abs(per.get('node1')! - per.get('node2')!)).toBeLessThanOrEqual(2);
  });
});
