import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../source/api-types/index.ts';
import { buildXray, flattenXray, lineLabel, xrayRoot } from '../../../source/ui/xray/tree.ts';
import { podSummary } from '../../../source/ui/xray/pod-status.ts';
import { deployment, meta, pod, replicaSet } from './fixtures.ts';

describe('xray tree', () => {
  it('hangs ReplicaSets under their deployment by owner uid, newest revision first, pods and containers below', () => {
    const web = deployment('web', 3, 2, { status: { readyReplicas: 2, updatedReplicas: 1 } });
    // A second deployment whose name prefixes the first's ReplicaSets: names must not matter.
    const we = deployment('we', 1, 1);
    const old = replicaSet(web, 'web-old', 1, 2, 2);
    const next = replicaSet(web, 'web-new', 2, 1, 0);
    const p1 = pod('web-old-a', { owner: old, node: 'node1' });
    const p2 = pod('web-new-b', {
      owner: next,
      waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nginx:abc"' },
    });
    const forest = buildXray('deployments', { deployments: [web, we], replicasets: [old, next], pods: [p1, p2] });
    expect(forest.map((n) => n.name)).toEqual(['we', 'web']);
    const w = forest[1];
    expect(w).toMatchObject({ kind: 'deploy', status: 'Progressing', ready: '2/3', info: '1/3 updated' });
    expect(w.children.map((n) => n.name)).toEqual(['web-new', 'web-old']);
    expect(w.children[0].children[0]).toMatchObject({
      kind: 'pod',
      name: 'web-new-b',
      status: 'ImagePullBackOff',
      ready: '0/1',
    });
    expect(w.children[0].children[0].children[0]).toMatchObject({
      kind: 'container',
      name: 'app',
      status: 'ImagePullBackOff',
      resource: 'pods',
    });
    expect(forest[0].children).toEqual([]);
    // All pods ready but not all updated: still a rollout.
    const rolling = deployment('r', 2, 2, { status: { readyReplicas: 2, updatedReplicas: 1 } });
    expect(buildXray('deployments', { deployments: [rolling] })[0].status).toBe('Progressing');
  });

  it('marks a rollout past its deadline', () => {
    const d = deployment('web', 2, 1, {
      status: {
        readyReplicas: 1,
        conditions: [
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'ReplicaSet "web-x" has timed out progressing.',
          },
        ],
      },
    });
    const [n] = buildXray('deployments', { deployments: [d] });
    expect(n.status).toBe('ProgressDeadlineExceeded');
    expect(n.info).toContain('timed out progressing');
  });

  it('shows a crash-looping pod with its restarts', () => {
    const sts: KObject = {
      kind: 'StatefulSet',
      metadata: meta('db'),
      spec: { replicas: 1 },
      status: { readyReplicas: 0 },
    };
    const p = pod('db-0', {
      owner: sts,
      ownerKind: 'StatefulSet',
      waiting: { reason: 'CrashLoopBackOff' },
      restarts: 4,
    });
    const [n] = buildXray('statefulsets', { statefulsets: [sts], pods: [p] });
    expect(n).toMatchObject({ kind: 'sts', ready: '0/1', status: 'Progressing' });
    expect(n.children[0]).toMatchObject({ status: 'CrashLoopBackOff' });
    expect(n.children[0].info).toContain('4 restarts');
  });

  it('goes from a service through its EndpointSlices to the pods they point at', () => {
    const a = pod('a', { labels: { app: 'web' } });
    const b = pod('b', { labels: { app: 'web' }, ready: false });
    const svc: KObject = {
      kind: 'Service',
      metadata: meta('web'),
      spec: { selector: { app: 'web' }, type: 'ClusterIP', clusterIP: '10.0.0.1' },
    };
    const slice: KObject = {
      kind: 'EndpointSlice',
      metadata: meta('web-abc', { labels: { 'kubernetes.io/service-name': 'web' } }),
      endpoints: [
        {
          conditions: { ready: true },
          targetRef: { kind: 'Pod', name: 'a', namespace: 'default', uid: a.metadata.uid },
        },
        {
          conditions: { ready: false },
          targetRef: { kind: 'Pod', name: 'b', namespace: 'default', uid: b.metadata.uid },
        },
      ],
      ports: [{ port: 80 }],
    };
    const lonely: KObject = { kind: 'Service', metadata: meta('lonely'), spec: { selector: { app: 'none' } } };
    const forest = buildXray('services', { services: [svc, lonely], endpointslices: [slice], pods: [a, b] });
    expect(forest[0]).toMatchObject({ name: 'lonely', status: 'Unhealthy', ready: '0/0' });
    expect(forest[1]).toMatchObject({ name: 'web', status: 'Ready', ready: '1/2' });
    expect(forest[1].children[0]).toMatchObject({ kind: 'eps', ready: '1/2', info: 'ports 80' });
    expect(forest[1].children[0].children.map((n) => n.name)).toEqual(['a', 'b']);
  });

  it('puts pods under the node they run on', () => {
    const node: KObject = {
      kind: 'Node',
      metadata: { name: 'node1', uid: 'n1' },
      status: {
        conditions: [
          { type: 'Ready', status: 'False' },
          { type: 'DiskPressure', status: 'True' },
        ],
      },
    };
    const forest = buildXray('nodes', {
      nodes: [node],
      pods: [pod('x', { node: 'node1' }), pod('y', { node: 'node2' })],
    });
    expect(forest[0]).toMatchObject({ status: 'NotReady', info: '1 pods · DiskPressure' });
    expect(forest[0].children.map((n) => n.name)).toEqual(['x']);
  });

  it('flattens depth first and leaves out what is collapsed', () => {
    const d = deployment('web', 1, 1);
    const rs = replicaSet(d, 'web-1', 1, 1, 1);
    const p = pod('web-1-a', { owner: rs });
    const forest = buildXray('deployments', { deployments: [d], replicasets: [rs], pods: [p] });
    expect(flattenXray(forest, new Set()).map(lineLabel)).toEqual([
      '▾ deploy/web',
      '  ▾ rs/web-1',
      '    ▾ pod/web-1-a',
      '      · container/app',
    ]);
    expect(flattenXray(forest, new Set([rs.metadata.uid!])).map(lineLabel)).toEqual(['▾ deploy/web', '  ▸ rs/web-1']);
  });

  it('reads the root the way k9s spells it', () => {
    expect(xrayRoot('deploy')).toBe('deployments');
    expect(xrayRoot('svc')).toBe('services');
    expect(xrayRoot('no')).toBe('nodes');
    expect(xrayRoot('pods')).toBeUndefined();
  });

  it('summarises pods like kubectl', () => {
    expect(podSummary(pod('a')).status).toBe('Running');
    expect(podSummary(pod('a', { waiting: { reason: 'ErrImagePull' } }))).toMatchObject({
      status: 'ErrImagePull',
      ready: 0,
      total: 1,
    });
    const gone = pod('a');
    gone.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    expect(podSummary(gone).status).toBe('Terminating');
  });
});
