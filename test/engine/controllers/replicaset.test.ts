import { afterEach, describe, expect, it } from 'vitest';
import type { KObject } from '../../../source/api-types/index.ts';
import { NamespaceController } from '../../../source/engine/controllers/namespace.ts';
import { compareForDeletion } from '../../../source/engine/controllers/pods.ts';
import { ReplicaSetController } from '../../../source/engine/controllers/replicaset.ts';
import { Scheduler } from '../../../source/engine/scheduler/scheduler.ts';
import { type Cluster, events, runningStatus, startCluster } from './harness.ts';

let cluster: Cluster | undefined;
afterEach(() => cluster?.stop());

const RS = 'replicasets.apps';

function replicaset(name: string, replicas: number, spec: any = {}): KObject {
  return {
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, tier: 'web' }, annotations: { note: 'x' } },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      },
      ...spec,
    },
  };
}

const live = (c: Cluster, app: string) =>
  c.store.list('pods', { labelSelector: `app=${app}` }).items.filter((p) => !p.metadata.deletionTimestamp);

describe('ReplicaSet controller', () => {
  it('creates pods from the template with owner references, status and events', async () => {
    cluster = await startCluster(() => [new Scheduler(), new ReplicaSetController()]);
    const c = cluster;
    c.store.create(RS, replicaset('web', 3));
    await c.settle();
    const pods = live(c, 'web');
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.metadata.labels).toEqual({ app: 'web', tier: 'web' });
      expect(p.metadata.annotations).toEqual({ note: 'x' });
      expect(p.metadata.ownerReferences).toEqual([
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web',
          uid: c.store.get(RS, 'default', 'web')!.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
    }
    expect(c.store.get(RS, 'default', 'web')!.status).toEqual({
      replicas: 3,
      fullyLabeledReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      observedGeneration: 1,
    });
    expect(events(c.store, 'web').filter((e) => e.reason === 'SuccessfulCreate')).toHaveLength(3);
  });

  it('adopts matching orphans, releases pods whose labels stop matching, never over-creates', async () => {
    cluster = await startCluster(() => [new Scheduler(), new ReplicaSetController()]);
    const c = cluster;
    c.store.create('pods', {
      metadata: { name: 'orphan', namespace: 'default', labels: { app: 'web' } },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    c.store.create(RS, replicaset('web', 2));
    await c.settle();
    expect(live(c, 'web')).toHaveLength(2);
    expect(c.store.get('pods', 'default', 'orphan')!.metadata.ownerReferences![0]!.name).toBe('web');
    c.store.mutate('pods', 'default', 'orphan', (p) => {
      p.metadata.labels = { app: 'other' };
    });
    await c.settle();
    expect(c.store.get('pods', 'default', 'orphan')!.metadata.ownerReferences).toBeUndefined();
    expect(live(c, 'web')).toHaveLength(2);
  });

  it('replaces deleted and failed pods; terminating pods do not count', async () => {
    cluster = await startCluster(() => [new Scheduler(), new ReplicaSetController()]);
    const c = cluster;
    c.store.create(RS, replicaset('web', 2));
    await c.settle();
    c.kubelet.enabled = false;
    const [a] = live(c, 'web');
    c.store.delete('pods', 'default', a!.metadata.name!);
    await c.settle();
    expect(live(c, 'web')).toHaveLength(2);
    expect(c.store.get(RS, 'default', 'web')!.status.replicas).toBe(2);
  });

  it('scales down the least valuable pods first', () => {
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
    const mk = (
      name: string,
      node: string | undefined,
      phase: string,
      readyAt?: number,
      created = 0,
      restarts = 0,
    ): KObject => {
      const p: KObject = {
        metadata: { name, creationTimestamp: t(created) },
        spec: { containers: [{ name: 'c' }], ...(node ? { nodeName: node } : {}) },
        status: { phase },
      };
      if (readyAt !== undefined) runningStatus(p, Date.parse(t(readyAt)));
      p.status.phase = phase;
      if (restarts) p.status.containerStatuses[0].restartCount = restarts;
      return p;
    };
    const pods = [
      mk('ready-old', 'n1', 'Running', 1, 0),
      mk('ready-new', 'n1', 'Running', 1, 5),
      mk('unscheduled', undefined, 'Pending'),
      mk('pending', 'n1', 'Pending'),
      mk('ready-restarts', 'n1', 'Running', 1, 0, 3),
      mk('ready-recent', 'n1', 'Running', 9, 0),
    ];
    const order = [...pods].sort((a, b) => compareForDeletion(a, b)).map((p) => p.metadata.name);
    expect(order).toEqual(['unscheduled', 'pending', 'ready-recent', 'ready-restarts', 'ready-new', 'ready-old']);
  });

  it('minReadySeconds: available only after the pod has been ready long enough', async () => {
    cluster = await startCluster(() => [new Scheduler(), new ReplicaSetController()]);
    const c = cluster;
    c.store.create(RS, replicaset('web', 1, { minReadySeconds: 10 }));
    await c.settle();
    expect(c.store.get(RS, 'default', 'web')!.status).toMatchObject({ readyReplicas: 1 });
    expect(c.store.get(RS, 'default', 'web')!.status.availableReplicas).toBeUndefined();
    await c.advance(11_000);
    expect(c.store.get(RS, 'default', 'web')!.status.availableReplicas).toBe(1);
  });
});

describe('namespace controller', () => {
  it('deletes everything in a terminating namespace, then the namespace', async () => {
    cluster = await startCluster(() => [new Scheduler(), new ReplicaSetController(), new NamespaceController()]);
    const c = cluster;
    c.store.create('namespaces', { metadata: { name: 'team' } });
    c.store.create(RS, { ...replicaset('web', 2), metadata: { name: 'web', namespace: 'team' } });
    c.store.create('configmaps', { metadata: { name: 'cm', namespace: 'team' } });
    await c.settle();
    expect(c.store.list('pods', { namespace: 'team' }).items).toHaveLength(2);
    c.kubelet.enabled = false;
    c.store.delete('namespaces', undefined, 'team');
    await c.settle();
    const ns = c.store.get('namespaces', undefined, 'team')!;
    expect(ns.status.phase).toBe('Terminating');
    expect(ns.status.conditions[0]).toMatchObject({
      type: 'NamespaceContentRemaining',
      message: 'Some resources are remaining: pods has 2 resource instances',
    });
    c.kubelet.enabled = true;
    await c.settle();
    await c.advance(2000);
    expect(c.store.get('namespaces', undefined, 'team')).toBeUndefined();
    expect(c.store.dump().filter((o) => o.object.metadata.namespace === 'team')).toHaveLength(0);
  });
});
