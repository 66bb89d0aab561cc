import { afterEach, describe, expect, it } from 'vitest';
import { DeploymentController } from '../../../source/engine/controllers/deployment.ts';
import { evictPod } from '../../../source/engine/controllers/eviction.ts';
import { GarbageCollector } from '../../../source/engine/controllers/garbage-collector.ts';
import { NodeLifecycleController } from '../../../source/engine/controllers/node-lifecycle.ts';
import { nodeState, startNode, stopNode } from '../../../source/engine/controllers/node-state.ts';
import { ReplicaSetController } from '../../../source/engine/controllers/replicaset.ts';
import { Scheduler } from '../../../source/engine/scheduler/scheduler.ts';
import { ApiError } from '../../../source/engine/store/errors.ts';
import { type Cluster, deployment, events, livePods, startCluster } from './harness.ts';

let cluster: Cluster | undefined;
afterEach(() => cluster?.stop());

async function start(): Promise<Cluster> {
  cluster = await startCluster(
    () => [
      new NodeLifecycleController(),
      new Scheduler(),
      new ReplicaSetController(),
      new DeploymentController(),
      new GarbageCollector(),
    ],
    {
      config: { nodeLeaseSeconds: 40, podEvictionSeconds: 30 },
    },
  );
  return cluster;
}

const ready = (c: Cluster, node: string) =>
  c.store.get('nodes', undefined, node)!.status.conditions.find((x: any) => x.type === 'Ready');
const taints = (c: Cluster, node: string) =>
  (c.store.get('nodes', undefined, node)!.spec.taints ?? []).map((t: any) => `${t.key}:${t.effect}`);

describe('node lifecycle', () => {
  it('renews leases and heartbeats while nodes are up', async () => {
    const c = await start();
    await c.settle();
    const lease = c.store.get('leases.coordination.k8s.io', 'kube-node-lease', 'node1')!;
    expect(lease.spec).toMatchObject({ holderIdentity: 'node1', leaseDurationSeconds: 40 });
    expect(lease.metadata.ownerReferences![0]).toMatchObject({ kind: 'Node', name: 'node1' });
    const before = lease.spec.renewTime;
    await c.advance(120_000, 5000);
    expect(c.store.get('leases.coordination.k8s.io', 'kube-node-lease', 'node1')!.spec.renewTime > before).toBe(true);
    expect(ready(c, 'node1').status).toBe('True');
    expect(Date.parse(ready(c, 'node1').lastHeartbeatTime)).toBeGreaterThan(c.clock.now() - 41_000);
  });

  it('a stopped node goes Unknown, is tainted, its pods are evicted and recreated elsewhere; start brings it back', async () => {
    const c = await start();
    c.store.create('deployments.apps', deployment('web', { replicas: 4 }));
    await c.settle();
    const onNode2 = livePods(c.store, 'web').filter((p) => p.spec.nodeName === 'node2');
    expect(onNode2).toHaveLength(2);

    const seen: string[] = [];
    nodeState(c.store).subscribe((n, up) => seen.push(`${n}:${up}`));
    stopNode(c.store, 'node2');
    c.kubelet.down.add('node2');
    expect(seen).toEqual(['node2:false']);
    await c.advance(45_000);
    expect(ready(c, 'node2')).toMatchObject({
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
    });
    expect(taints(c, 'node2')).toEqual([
      'node.kubernetes.io/unreachable:NoSchedule',
      'node.kubernetes.io/unreachable:NoExecute',
    ]);
    // Pods on the lost node are no longer ready, not yet evicted.
    const stale = c.store.list('pods').items.filter((p) => p.spec.nodeName === 'node2');
    expect(stale.every((p) => !p.metadata.deletionTimestamp)).toBe(true);
    expect(stale.every((p) => p.status.conditions.find((x: any) => x.type === 'Ready').status === 'False')).toBe(true);
    expect(c.store.get('deployments.apps', 'default', 'web')!.status.availableReplicas).toBe(2);

    await c.advance(35_000);
    expect(
      c.store
        .list('pods')
        .items.filter((p) => p.spec.nodeName === 'node2')
        .every((p) => p.metadata.deletionTimestamp),
    ).toBe(true);
    const live = livePods(c.store, 'web');
    expect(live).toHaveLength(4);
    expect(live.every((p) => p.spec.nodeName === 'node1')).toBe(true);
    expect(c.store.get('deployments.apps', 'default', 'web')!.status.availableReplicas).toBe(4);
    expect(events(c.store).some((e) => e.reason === 'TaintManagerEviction')).toBe(true);

    startNode(c.store, 'node2');
    c.kubelet.down.delete('node2');
    await c.advance(10_000);
    expect(ready(c, 'node2').status).toBe('True');
    expect(taints(c, 'node2')).toEqual([]);
    expect(c.store.list('pods').items.filter((p) => p.spec.nodeName === 'node2')).toHaveLength(0);
    expect(() => stopNode(c.store, 'nope')).toThrow(/not found/);
  });

  it('a node reported NotReady (Ready=False) makes its running pods not ready', async () => {
    const c = await start();
    c.store.create('deployments.apps', deployment('web', { replicas: 4 }));
    await c.settle();
    c.store.mutate(
      'nodes',
      undefined,
      'node2',
      (n) => {
        n.status.conditions.find((x: any) => x.type === 'Ready').status = 'False';
      },
      { subresource: 'status' },
    );
    await c.advance(6_000);
    const onNode2 = c.store.list('pods').items.filter((p) => p.spec.nodeName === 'node2');
    expect(onNode2.length).toBeGreaterThan(0);
    expect(onNode2.every((p) => p.status.conditions.find((x: any) => x.type === 'Ready').status === 'False')).toBe(
      true,
    );
    expect(taints(c, 'node2')).toContain('node.kubernetes.io/not-ready:NoExecute');
  });

  it('a Node created through the API has no kubelet: no lease, Unknown after the grace period, tainted unreachable', async () => {
    const c = await start();
    c.store.create('nodes', { metadata: { name: 'extra' } });
    await c.advance(10_000);
    expect(c.store.get('leases.coordination.k8s.io', 'kube-node-lease', 'extra')).toBeUndefined();
    await c.advance(40_000);
    expect(ready(c, 'extra')).toMatchObject({ status: 'Unknown', message: 'Kubelet stopped posting node status.' });
    expect(taints(c, 'extra')).toEqual([
      'node.kubernetes.io/unreachable:NoSchedule',
      'node.kubernetes.io/unreachable:NoExecute',
    ]);
    expect(ready(c, 'node1').status).toBe('True');
  });

  it('deleting a node deletes the pods bound to it; their controllers recreate them', async () => {
    const c = await start();
    c.store.create('deployments.apps', deployment('web', { replicas: 4 }));
    await c.settle();
    c.store.delete('nodes', undefined, 'node2');
    await c.settle();
    const pods = c.store.list('pods').items;
    expect(pods).toHaveLength(4);
    expect(pods.every((p) => p.spec.nodeName === 'node1')).toBe(true);
  });

  it('evictPod deletes, and respects a PodDisruptionBudget when the kind is served', async () => {
    const c = await start();
    c.store.create('deployments.apps', deployment('web', { replicas: 2 }));
    await c.settle();
    c.kubelet.enabled = false;
    c.store.registry.add({
      group: 'policy',
      version: 'v1',
      kind: 'PodDisruptionBudget',
      plural: 'poddisruptionbudgets',
      singular: 'poddisruptionbudget',
      namespaced: true,
    });
    c.store.create('poddisruptionbudgets.policy', {
      metadata: { name: 'web', namespace: 'default' },
      spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } },
    });
    const [a] = livePods(c.store, 'web');
    try {
      evictPod(c.store, 'default', a!.metadata.name!);
      expect.unreachable();
    } catch (e) {
      expect((e as ApiError).code).toBe(429);
      expect((e as ApiError).message).toBe("Cannot evict pod as it would violate the pod's disruption budget.");
    }
    c.store.mutate('poddisruptionbudgets.policy', 'default', 'web', (p) => {
      p.spec.minAvailable = 1;
    });
    const out = evictPod(c.store, 'default', a!.metadata.name!);
    expect(out.metadata.deletionTimestamp).toBeTruthy();
  });
});
