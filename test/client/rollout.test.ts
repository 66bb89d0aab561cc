import { describe, expect, it } from 'vitest';
import type { KObject } from '../../source/api-types/index.ts';
import { currentRevision, revisionOfPod, revisionsOf } from '../../source/client/rollout.ts';

const owner = (kind: string, extra: Partial<KObject> = {}): KObject => ({
  apiVersion: 'apps/v1',
  kind,
  metadata: { name: 'web', uid: 'u1' },
  ...extra,
});
const ref = [{ apiVersion: 'apps/v1', kind: 'X', name: 'web', uid: 'u1', controller: true }];
const tmpl = (image: string, labels: Record<string, string> = { app: 'web' }) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'c', image }] },
});

describe('workload revisions', () => {
  it('reads a Deployment’s ReplicaSets, oldest first, without the hash label', () => {
    const rs = (n: number, hash: string, image: string): KObject => ({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `web-${hash}`,
        labels: { app: 'web', 'pod-template-hash': hash },
        annotations: { 'deployment.kubernetes.io/revision': String(n) },
        ownerReferences: ref,
      },
      spec: { template: tmpl(image, { app: 'web', 'pod-template-hash': hash }) },
    });
    const other: KObject = { ...rs(9, 'zzz', 'x'), metadata: { ...rs(9, 'zzz', 'x').metadata, ownerReferences: [] } };
    const deploy = owner('Deployment', {
      metadata: { name: 'web', uid: 'u1', annotations: { 'deployment.kubernetes.io/revision': '1' } },
    });
    const revs = revisionsOf('Deployment', deploy, [rs(2, 'bbb', 'nginx:2'), rs(1, 'aaa', 'nginx:1'), other]);
    expect(revs.map((r) => [r.revision, r.hash, r.images[0]])).toEqual([
      [1, 'aaa', 'nginx:1'],
      [2, 'bbb', 'nginx:2'],
    ]);
    expect(revs[0].template.metadata?.labels).toEqual({ app: 'web' });
    expect(currentRevision('Deployment', deploy, revs)?.revision).toBe(1);
    const pod: KObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', labels: { 'pod-template-hash': 'bbb' } },
    };
    expect(revisionOfPod('Deployment', pod, revs)?.revision).toBe(2);
  });

  it('reads ControllerRevisions; a StatefulSet pod names its revision in full, a DaemonSet pod by hash', () => {
    const cr = (n: number, hash: string, image: string): KObject => ({
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name: `web-${hash}`, labels: { app: 'web', 'controller-revision-hash': hash }, ownerReferences: ref },
      revision: n,
      data: { spec: { template: { ...tmpl(image), $patch: 'replace' } } },
    });
    const sts = owner('StatefulSet', { status: { updateRevision: 'web-aaa' } });
    const revs = revisionsOf('StatefulSet', sts, [cr(1, 'aaa', 'nginx:1'), cr(2, 'bbb', 'nginx:2')]);
    expect(revs[0].template).toEqual(tmpl('nginx:1'));
    expect(currentRevision('StatefulSet', sts, revs)?.revision).toBe(1); // status.updateRevision, not the highest
    const stsPod: KObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-0', labels: { 'controller-revision-hash': 'web-bbb' } },
    };
    expect(revisionOfPod('StatefulSet', stsPod, revs)?.revision).toBe(2);
    const dsPod: KObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-x', labels: { 'controller-revision-hash': 'aaa' } },
    };
    expect(
      revisionOfPod('DaemonSet', dsPod, revisionsOf('DaemonSet', owner('DaemonSet'), [cr(1, 'aaa', 'nginx:1')]))
        ?.revision,
    ).toBe(1);
  });
});
