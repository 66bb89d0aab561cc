import { afterEach, describe, expect, it } from 'vitest';
import type { KObject } from '../../../source/api-types/index.ts';
import { DaemonSetController } from '../../../source/engine/controllers/daemonset.ts';
import { DeploymentController } from '../../../source/engine/controllers/deployment.ts';
import { ReplicaSetController } from '../../../source/engine/controllers/replicaset.ts';
import { ensureSystemWorkloads } from '../../../source/engine/controllers/system-workloads.ts';
import { Scheduler } from '../../../source/engine/scheduler/scheduler.ts';
import { type Cluster, startCluster } from './harness.ts';

let cluster: Cluster | undefined;
afterEach(() => cluster?.stop());

const DS = 'daemonsets.apps';

function daemonset(name: string, spec: any = {}): KObject {
  return {
    metadata: { name, namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: 'agent:1' }], ...spec },
      },
    },
  };
}

const podsOf = (c: Cluster, app: string) =>
  c.store.list('pods', { labelSelector: `app=${app}` }).items.filter((p) => !p.metadata.deletionTimestamp);

describe('DaemonSet controller', () => {
  it('runs one pod per schedulable node; everywhere when it tolerates everything', async () => {
    cluster = await startCluster(() => [new Scheduler(), new DaemonSetController()]);
    const c = cluster;
    c.store.create(DS, daemonset('agent'));
    c.store.create(DS, daemonset('everywhere', { tolerations: [{ operator: 'Exists' }] }));
    await c.settle();
    expect(
      podsOf(c, 'agent')
        .map((p) => p.spec.nodeName)
        .sort(),
    ).toEqual(['node1', 'node2']);
    expect(
      podsOf(c, 'everywhere')
        .map((p) => p.spec.nodeName)
        .sort(),
    ).toEqual(['master', 'node1', 'node2']);
    const p = podsOf(c, 'agent')[0]!;
    expect(p.metadata.name).toMatch(/^agent-[a-z0-9]{5}$/);
    expect(
      p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0],
    ).toMatchObject({ key: 'metadata.name', operator: 'In' });
    expect(p.spec.tolerations.map((t: any) => t.key)).toContain('node.kubernetes.io/unschedulable');
    expect(c.store.get(DS, 'default', 'everywhere')!.status).toMatchObject({
      desiredNumberScheduled: 3,
      currentNumberScheduled: 3,
      numberReady: 3,
      numberAvailable: 3,
      updatedNumberScheduled: 3,
      numberMisscheduled: 0,
      observedGeneration: 1,
    });
  });

  it('rolls out a new template one node at a time', async () => {
    cluster = await startCluster(() => [new Scheduler(), new DaemonSetController()]);
    const c = cluster;
    c.store.create(DS, daemonset('agent', { tolerations: [{ operator: 'Exists' }] }));
    await c.settle();
    let minAvailable = Infinity;
    const w = c.store.watch('pods', {}, () => {
      const ready = podsOf(c, 'agent').filter((p) => p.status?.phase === 'Running').length;
      minAvailable = Math.min(minAvailable, ready);
    });
    c.store.mutate(DS, 'default', 'agent', (d) => {
      d.spec.template.spec.containers[0].image = 'agent:2';
    });
    await c.settle();
    w.stop();
    expect(minAvailable).toBeGreaterThanOrEqual(2);
    const pods = podsOf(c, 'agent');
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.spec.containers[0].image === 'agent:2')).toBe(true);
    expect(c.store.get(DS, 'default', 'agent')!.status).toMatchObject({
      updatedNumberScheduled: 3,
      numberAvailable: 3,
      observedGeneration: 2,
    });
  });

  it('removes the pod from a node it no longer selects', async () => {
    cluster = await startCluster(() => [new Scheduler(), new DaemonSetController()]);
    const c = cluster;
    c.store.mutate('nodes', undefined, 'node1', (n) => {
      n.metadata.labels = { ...n.metadata.labels, disk: 'ssd' };
    });
    c.store.create(DS, daemonset('ssd', { nodeSelector: { disk: 'ssd' } }));
    await c.settle();
    expect(podsOf(c, 'ssd').map((p) => p.spec.nodeName)).toEqual(['node1']);
    c.store.mutate('nodes', undefined, 'node1', (n) => {
      delete n.metadata.labels!.disk;
    });
    await c.settle();
    expect(podsOf(c, 'ssd')).toHaveLength(0);
  });

  it('kube-system: coredns (2 replicas) and kube-proxy on all 3 nodes', async () => {
    cluster = await startCluster(() => [
      new Scheduler(),
      new ReplicaSetController(),
      new DeploymentController(),
      new DaemonSetController(),
    ]);
    const c = cluster;
    ensureSystemWorkloads(c.store);
    ensureSystemWorkloads(c.store); // idempotent
    await c.settle();
    const dns = c.store.list('pods', { namespace: 'kube-system', labelSelector: 'k8s-app=kube-dns' }).items;
    expect(dns).toHaveLength(2);
    expect(dns.every((p) => p.spec.containers[0].image === 'registry.k8s.io/coredns/coredns:v1.11.3')).toBe(true);
    const proxy = c.store.list('pods', { namespace: 'kube-system', labelSelector: 'k8s-app=kube-proxy' }).items;
    expect(proxy.map((p) => p.spec.nodeName).sort()).toEqual(['master', 'node1', 'node2']);
    expect(c.store.get('deployments.apps', 'kube-system', 'coredns')!.status).toMatchObject({
      readyReplicas: 2,
      availableReplicas: 2,
    });
  });
});
