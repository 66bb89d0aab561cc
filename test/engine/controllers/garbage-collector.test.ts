import { afterEach, describe, expect, it } from 'vitest';
import { DeploymentController } from '../../../source/engine/controllers/deployment.ts';
import { GarbageCollector } from '../../../source/engine/controllers/garbage-collector.ts';
import { ReplicaSetController } from '../../../source/engine/controllers/replicaset.ts';
import { Scheduler } from '../../../source/engine/scheduler/scheduler.ts';
import { type Cluster, deployment, startCluster } from './harness.ts';

let cluster: Cluster | undefined;
afterEach(() => cluster?.stop());

const D = 'deployments.apps';
const RS = 'replicasets.apps';

async function withDeployment(): Promise<Cluster> {
  cluster = await startCluster(() => [
    new Scheduler(),
    new ReplicaSetController(),
    new DeploymentController(),
    new GarbageCollector(),
  ]);
  cluster.store.create(D, deployment('web', { replicas: 3 }));
  await cluster.settle();
  expect(cluster.store.list('pods').items).toHaveLength(3);
  return cluster;
}

describe('garbage collector', () => {
  it('Background: deleting a deployment deletes its ReplicaSets, then their pods', async () => {
    const c = await withDeployment();
    c.store.delete(D, 'default', 'web', { propagationPolicy: 'Background' });
    await c.settle();
    expect(c.store.list(RS).items).toHaveLength(0);
    expect(c.store.list('pods').items).toHaveLength(0);
  });

  it('Foreground: the deployment waits with its finalizer until its dependents are gone', async () => {
    const c = await withDeployment();
    c.kubelet.enabled = false; // pods stay Terminating until "the kubelet" lets them go
    c.store.delete(D, 'default', 'web', { propagationPolicy: 'Foreground' });
    await c.settle();
    const d = c.store.get(D, 'default', 'web')!;
    expect(d.metadata.deletionTimestamp).toBeTruthy();
    expect(d.metadata.finalizers).toEqual(['foregroundDeletion']);
    const [rs] = c.store.list(RS).items;
    expect(rs!.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(c.store.list('pods').items.every((p) => p.metadata.deletionTimestamp)).toBe(true);
    c.kubelet.enabled = true;
    await c.settle();
    expect(c.store.get(D, 'default', 'web')).toBeUndefined();
    expect(c.store.list(RS).items).toHaveLength(0);
    expect(c.store.list('pods').items).toHaveLength(0);
  });

  it('Orphan: dependents lose their ownerReference and stay', async () => {
    const c = await withDeployment();
    c.store.delete(D, 'default', 'web', { propagationPolicy: 'Orphan' });
    await c.settle();
    expect(c.store.get(D, 'default', 'web')).toBeUndefined();
    const sets = c.store.list(RS).items;
    expect(sets).toHaveLength(1);
    expect(sets[0]!.metadata.ownerReferences).toBeUndefined();
    expect(c.store.list('pods').items.filter((p) => !p.metadata.deletionTimestamp)).toHaveLength(3);
    // A new deployment with the same selector and template adopts the orphaned ReplicaSet.
    c.store.create(D, deployment('web', { replicas: 3 }));
    await c.settle();
    expect(c.store.list(RS).items).toHaveLength(1);
    expect(c.store.list(RS).items[0]!.metadata.ownerReferences![0]!.name).toBe('web');
    expect(c.store.list('pods').items).toHaveLength(3);
  });

  it('removes dangling owner references but keeps dependents with another live owner', async () => {
    cluster = await startCluster(() => [new GarbageCollector()]);
    const c = cluster;
    const a = c.store.create('configmaps', { metadata: { name: 'a', namespace: 'default' } });
    const b = c.store.create('configmaps', { metadata: { name: 'b', namespace: 'default' } });
    const ref = (o: typeof a) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: o.metadata.name!,
      uid: o.metadata.uid!,
    });
    c.store.create('configmaps', {
      metadata: { name: 'dep', namespace: 'default', ownerReferences: [ref(a), ref(b)] },
    });
    c.store.delete('configmaps', 'default', 'a');
    await c.settle();
    expect(c.store.get('configmaps', 'default', 'dep')!.metadata.ownerReferences!.map((r) => r.name)).toEqual(['b']);
    c.store.delete('configmaps', 'default', 'b');
    await c.settle();
    expect(c.store.get('configmaps', 'default', 'dep')).toBeUndefined();
  });

  it('deletes events older than an hour', async () => {
    cluster = await startCluster(() => [new GarbageCollector()]);
    const c = cluster;
    const pod = c.store.create('pods', {
      metadata: { name: 'p', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    c.ctx.recorder.record(pod, 'Normal', 'Old', 'old', { component: 'test' });
    await c.advance(50 * 60_000, 60_000);
    c.ctx.recorder.record(pod, 'Normal', 'New', 'new', { component: 'test' });
    await c.advance(20 * 60_000, 60_000);
    expect(c.store.list('events').items.map((e) => e.reason)).toEqual(['New']);
  });
});
