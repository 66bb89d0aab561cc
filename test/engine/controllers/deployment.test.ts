import { afterEach, describe, expect, it } from 'vitest';
import type { KObject } from '../../../source/api-types/index.ts';
import { DeploymentController } from '../../../source/engine/controllers/deployment.ts';
import { ReplicaSetController } from '../../../source/engine/controllers/replicaset.ts';
import { Scheduler } from '../../../source/engine/scheduler/scheduler.ts';
import { type Cluster, deployment, events, livePods, startCluster } from './harness.ts';

let cluster: Cluster | undefined;
afterEach(() => cluster?.stop());

async function start(): Promise<Cluster> {
  cluster = await startCluster(() => [new Scheduler(), new ReplicaSetController(), new DeploymentController()]);
  return cluster;
}

const D = 'deployments.apps';
const RS = 'replicasets.apps';

function setImage(c: Cluster, name: string, image: string, annotations?: Record<string, string>): void {
  c.store.mutate(D, 'default', name, (d) => {
    d.spec.template.spec.containers[0].image = image;
    if (annotations) d.metadata.annotations = { ...d.metadata.annotations, ...annotations };
  });
}

function scale(c: Cluster, name: string, replicas: number): void {
  c.store.mutate(D, 'default', name, (d) => {
    d.spec.replicas = replicas;
  });
}

function sets(c: Cluster, app: string): KObject[] {
  return c.store.list(RS, { namespace: 'default', labelSelector: `app=${app}` }).items;
}

const revision = (rs: KObject) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'];
const byImage = (c: Cluster, app: string, image: string) =>
  sets(c, app).find((rs) => rs.spec.template.spec.containers[0].image === image)!;
const cond = (d: KObject, type: string) => d.status?.conditions?.find((x: any) => x.type === type);

describe('Deployment controller', () => {
  it('creates one pod named <deploy>-<hash>-<5>, with the rollout conditions and events', async () => {
    const c = await start();
    c.store.create(D, deployment('my-nginx'));
    await c.settle();
    const [rs] = sets(c, 'my-nginx');
    const hash = rs!.metadata.labels!['pod-template-hash']!;
    expect(rs!.metadata.name).toBe(`my-nginx-${hash}`);
    expect(rs!.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '1',
      'deployment.kubernetes.io/max-replicas': '2',
    });
    expect(rs!.metadata.ownerReferences![0]).toMatchObject({
      kind: 'Deployment',
      name: 'my-nginx',
      controller: true,
      blockOwnerDeletion: true,
    });
    const pods = livePods(c.store, 'my-nginx');
    expect(pods).toHaveLength(1);
    expect(pods[0]!.metadata.name).toMatch(new RegExp(`^my-nginx-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
    expect(pods[0]!.metadata.ownerReferences![0]).toMatchObject({
      kind: 'ReplicaSet',
      name: rs!.metadata.name,
      controller: true,
    });
    expect(pods[0]!.spec.nodeName).toMatch(/^node[12]$/);

    const d = c.store.get(D, 'default', 'my-nginx')!;
    expect(d.metadata.annotations!['deployment.kubernetes.io/revision']).toBe('1');
    expect(d.status).toMatchObject({
      observedGeneration: 1,
      replicas: 1,
      updatedReplicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
    });
    expect(cond(d, 'Available')).toMatchObject({
      status: 'True',
      reason: 'MinimumReplicasAvailable',
      message: 'Deployment has minimum availability.',
    });
    expect(cond(d, 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: `ReplicaSet "${rs!.metadata.name}" has successfully progressed.`,
    });
    expect(events(c.store, 'my-nginx').map((e) => e.message)).toEqual([
      `Scaled up replica set ${rs!.metadata.name} to 1`,
    ]);
    expect(events(c.store, rs!.metadata.name).map((e) => e.reason)).toEqual(['SuccessfulCreate']);
  });

  it('scales to 3 across node1/node2 (2+1, never master), then to 1', async () => {
    const c = await start();
    c.store.create(D, deployment('web'));
    await c.settle();
    scale(c, 'web', 3);
    await c.settle();
    const pods = livePods(c.store, 'web');
    expect(pods).toHaveLength(3);
    const perNode = new Map<string, number>();
    for (const p of pods) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
    expect([...perNode.keys()].sort()).toEqual(['node1', 'node2']);
    expect([...perNode.values()].sort()).toEqual([1, 2]);
    const rsName = sets(c, 'web')[0]!.metadata.name;
    expect(events(c.store, 'web').map((e) => e.message)).toContain(`Scaled up replica set ${rsName} to 3 from 1`);

    c.kubelet.enabled = false; // keep the terminating pods visible
    scale(c, 'web', 1);
    await c.settle();
    const all = c.store.list('pods', { labelSelector: 'app=web' }).items;
    expect(all.filter((p) => p.metadata.deletionTimestamp)).toHaveLength(2);
    expect(livePods(c.store, 'web')).toHaveLength(1);
    expect(events(c.store, 'web').map((e) => e.message)).toContain(`Scaled down replica set ${rsName} to 1 from 3`);
    expect(events(c.store, rsName).filter((e) => e.reason === 'SuccessfulDelete')).toHaveLength(2);
  });

  it('rolls 4 replicas to a new image with never more than 5 pods and never fewer than 3 available', async () => {
    const c = await start();
    c.store.create(D, deployment('web', { replicas: 4, image: 'nginx:1.7.9' }));
    await c.settle();
    let maxPods = 0;
    let minReady = Infinity;
    const w = c.store.watch('pods', {}, () => {
      const live = livePods(c.store, 'web');
      maxPods = Math.max(maxPods, live.length);
      minReady = Math.min(
        minReady,
        live.filter((p) => p.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True')).length,
      );
    });
    setImage(c, 'web', 'nginx:1.9.1');
    await c.settle();
    w.stop();
    expect(maxPods).toBe(5);
    expect(minReady).toBeGreaterThanOrEqual(3);
    const pods = livePods(c.store, 'web');
    expect(pods).toHaveLength(4);
    expect(pods.every((p) => p.spec.containers[0].image === 'nginx:1.9.1')).toBe(true);
    const old = byImage(c, 'web', 'nginx:1.7.9');
    expect(old.spec.replicas).toBe(0);
    expect(revision(old)).toBe('1');
    expect(revision(byImage(c, 'web', 'nginx:1.9.1'))).toBe('2');
    const d = c.store.get(D, 'default', 'web')!;
    expect(d.status).toMatchObject({ replicas: 4, updatedReplicas: 4, availableReplicas: 4, observedGeneration: 2 });
    expect(cond(d, 'Progressing')!.reason).toBe('NewReplicaSetAvailable');
  });

  it('gets stuck on a bad image: 3 of 4 stay available, then ProgressDeadlineExceeded', async () => {
    const c = await start();
    c.store.create(D, deployment('web', { replicas: 4, image: 'nginx:1.7.9' }));
    await c.settle();
    c.kubelet.ready = (p) => p.spec.containers[0].image !== 'nginx:abc';
    setImage(c, 'web', 'nginx:abc');
    await c.settle();
    const live = livePods(c.store, 'web');
    const old = live.filter((p) => p.spec.containers[0].image === 'nginx:1.7.9');
    expect(old).toHaveLength(3);
    expect(live.filter((p) => p.spec.containers[0].image === 'nginx:abc')).toHaveLength(2);
    let d = c.store.get(D, 'default', 'web')!;
    expect(d.status).toMatchObject({ replicas: 5, updatedReplicas: 2, availableReplicas: 3, unavailableReplicas: 2 });
    expect(cond(d, 'Available')!.status).toBe('True');
    expect(cond(d, 'Progressing')).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated' });

    await c.advance(590_000, 10_000);
    expect(cond(c.store.get(D, 'default', 'web')!, 'Progressing')!.reason).toBe('ReplicaSetUpdated');
    await c.advance(20_000, 1000);
    d = c.store.get(D, 'default', 'web')!;
    const newRS = byImage(c, 'web', 'nginx:abc');
    expect(cond(d, 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: `ReplicaSet "${newRS.metadata.name}" has timed out progressing.`,
    });
    expect(livePods(c.store, 'web').filter((p) => p.spec.containers[0].image === 'nginx:1.7.9')).toHaveLength(3);
  });

  it('undo re-uses the old ReplicaSet with a new revision (history 1,3,4) and copies change-cause', async () => {
    const c = await start();
    c.store.create(D, deployment('web', { replicas: 2, image: 'nginx:1.7.9' }));
    await c.settle();
    setImage(c, 'web', 'nginx:1.9.1', {
      'kubernetes.io/change-cause': 'kubectl set image deployment/web nginx=nginx:1.9.1 --record=true',
    });
    await c.settle();
    setImage(c, 'web', 'nginx:1.25');
    await c.settle();
    const rev2 = byImage(c, 'web', 'nginx:1.9.1');
    expect(revision(rev2)).toBe('2');
    expect(rev2.metadata.annotations!['kubernetes.io/change-cause']).toContain('nginx:1.9.1');
    // The quirk: a later change without --record still carries the old change-cause.
    expect(byImage(c, 'web', 'nginx:1.25').metadata.annotations!['kubernetes.io/change-cause']).toContain(
      'nginx:1.9.1',
    );

    // kubectl rollout undo: replace the template with revision 2's (minus the hash label).
    const template = structuredClone(rev2.spec.template);
    delete template.metadata.labels['pod-template-hash'];
    const current = c.store.get(D, 'default', 'web')!;
    expect(JSON.stringify(current.spec.template)).not.toBe(JSON.stringify(template));
    c.store.mutate(D, 'default', 'web', (d) => {
      d.spec.template = template;
    });
    await c.settle();
    expect(sets(c, 'web')).toHaveLength(3);
    const back = c.store.get(RS, 'default', rev2.metadata.name!)!;
    expect(revision(back)).toBe('4');
    expect(back.metadata.annotations!['deployment.kubernetes.io/revision-history']).toBe('2');
    expect(sets(c, 'web').map(revision).sort()).toEqual(['1', '3', '4']);
    expect(back.spec.replicas).toBe(2);
    expect(c.store.get(D, 'default', 'web')!.metadata.annotations!['deployment.kubernetes.io/revision']).toBe('4');
    expect(livePods(c.store, 'web').every((p) => p.spec.containers[0].image === 'nginx:1.9.1')).toBe(true);
    // The RS template equals the deployment's ignoring the hash, so kubectl's "skipped rollback" check agrees.
    const rsTemplate = structuredClone(back.spec.template);
    delete rsTemplate.metadata.labels['pod-template-hash'];
    expect(rsTemplate).toEqual(c.store.get(D, 'default', 'web')!.spec.template);
  });

  it('keeps only revisionHistoryLimit old ReplicaSets', async () => {
    const c = await start();
    c.store.create(D, deployment('web', { spec: { revisionHistoryLimit: 2 } }));
    await c.settle();
    for (const tag of ['1', '2', '3', '4']) {
      setImage(c, 'web', `nginx:${tag}`);
      await c.settle();
    }
    const left = sets(c, 'web')
      .map((rs) => rs.spec.template.spec.containers[0].image)
      .sort();
    expect(left).toEqual(['nginx:2', 'nginx:3', 'nginx:4']);
  });

  it('Recreate scales the old ReplicaSet to 0 and waits for its pods before starting new ones', async () => {
    const c = await start();
    c.store.create(D, deployment('web', { replicas: 3, image: 'nginx:1', strategy: { type: 'Recreate' } }));
    await c.settle();
    c.kubelet.enabled = false;
    setImage(c, 'web', 'nginx:2');
    await c.settle();
    expect(byImage(c, 'web', 'nginx:1').spec.replicas).toBe(0);
    expect(sets(c, 'web')).toHaveLength(1); // the new RS waits for the old pods to go
    c.kubelet.enabled = true;
    await c.settle();
    const pods = livePods(c.store, 'web');
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.spec.containers[0].image === 'nginx:2')).toBe(true);
  });

  it('pauses (no rollout, still scales) and resumes', async () => {
    const c = await start();
    c.store.create(D, deployment('web', { replicas: 2, image: 'nginx:1' }));
    await c.settle();
    c.store.mutate(D, 'default', 'web', (d) => {
      d.spec.paused = true;
    });
    await c.settle();
    expect(cond(c.store.get(D, 'default', 'web')!, 'Progressing')).toMatchObject({
      status: 'Unknown',
      reason: 'DeploymentPaused',
      message: 'Deployment is paused',
    });
    setImage(c, 'web', 'nginx:2');
    scale(c, 'web', 3);
    await c.settle();
    expect(sets(c, 'web')).toHaveLength(1);
    expect(livePods(c.store, 'web')).toHaveLength(3);
    c.store.mutate(D, 'default', 'web', (d) => {
      d.spec.paused = false;
    });
    await c.settle();
    expect(livePods(c.store, 'web').every((p) => p.spec.containers[0].image === 'nginx:2')).toBe(true);
    expect(cond(c.store.get(D, 'default', 'web')!, 'Progressing')!.reason).toBe('NewReplicaSetAvailable');
  });

  it('rollout restart (template annotation) makes a new ReplicaSet', async () => {
    const c = await start();
    c.store.create(D, deployment('web', { replicas: 2 }));
    await c.settle();
    c.store.mutate(D, 'default', 'web', (d) => {
      d.spec.template.metadata.annotations = { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' };
    });
    await c.settle();
    expect(sets(c, 'web')).toHaveLength(2);
    expect(livePods(c.store, 'web').every((p) => p.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'])).toBe(
      true,
    );
  });

  it('scales proportionally during a rollout', async () => {
    const c = await start();
    c.store.create(D, deployment('web', { replicas: 10, image: 'nginx:1' }));
    await c.settle();
    c.kubelet.ready = (p) => p.spec.containers[0].image !== 'nginx:bad';
    setImage(c, 'web', 'nginx:bad');
    await c.settle();
    // 10 replicas: surge 3, unavailable 2 → old 8, new 5.
    expect(byImage(c, 'web', 'nginx:1').spec.replicas).toBe(8);
    expect(byImage(c, 'web', 'nginx:bad').spec.replicas).toBe(5);
    scale(c, 'web', 20);
    await c.settle();
    // allowed 25 (20 + surge 5): +12 spread 8:5 of 13 → old 8→15 (+7), new 5→10 (+5)
    const oldN = byImage(c, 'web', 'nginx:1').spec.replicas;
    const newN = byImage(c, 'web', 'nginx:bad').spec.replicas;
    expect(oldN + newN).toBe(25);
    expect(oldN).toBe(15);
    expect(byImage(c, 'web', 'nginx:1').metadata.annotations!['deployment.kubernetes.io/desired-replicas']).toBe('20');
  });
});
