import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../source/api-types/index.ts';
import { findProblems } from '../../../source/ui/problems/model.ts';
import { RECENT_EVENT_MS } from '../../../source/ui/problems/rules.ts';
import { deployment, meta, pod } from '../xray/fixtures.ts';

const NOW = Date.parse('2026-06-01T12:00:00Z');

describe('problem rules', () => {
  it('ranks a NotReady node, a crash loop, an image pull failure, an unschedulable pod and a short deployment', () => {
    const node: KObject = {
      kind: 'Node',
      metadata: { name: 'node3', uid: 'n3' },
      status: {
        conditions: [
          {
            type: 'Ready',
            status: 'Unknown',
            reason: 'NodeStatusUnknown',
            message: 'Kubelet stopped posting node status.',
          },
        ],
      },
    };
    const crash = pod('crash', {
      waiting: { reason: 'CrashLoopBackOff' },
      restarts: 5,
      lastExit: { reason: 'Error', exitCode: 1 },
    });
    const pull = pod('pull', {
      waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nginx:abc"' },
    });
    const pending = pod('pending', {
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: '0/3 nodes are available: 3 Insufficient cpu.',
        },
      ],
    });
    const healthy = pod('fine');
    const short = deployment('web', 3, 1);
    const out = findProblems({ nodes: [node], pods: [healthy, pending, pull, crash], deployments: [short] }, NOW);
    expect(out.map((p) => [p.severity, p.kind, p.name, p.reason])).toEqual([
      [3, 'node', 'node3', 'NotReady'],
      [3, 'pod', 'crash', 'CrashLoopBackOff'],
      [2, 'pod', 'pending', 'Unschedulable'],
      [2, 'pod', 'pull', 'ImagePullBackOff'],
      [1, 'deploy', 'web', 'ReplicasNotReady'],
    ]);
    expect(out[1].message).toBe('container app restarted 5 times; last exit Error code 1');
    expect(out[2].message).toContain('Insufficient cpu');
    expect(out[3].message).toContain('nginx:abc');
    expect(out[0].resource).toBe('nodes');
  });

  it('flags a stuck rollout, a node under pressure, a not-ready pod, a service without ready endpoints, a pending claim', () => {
    const stuck = deployment('api', 2, 2, {
      status: {
        availableReplicas: 2,
        conditions: [
          { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'timed out' },
        ],
      },
    });
    const node: KObject = {
      kind: 'Node',
      metadata: { name: 'n', uid: 'n' },
      status: {
        conditions: [
          { type: 'Ready', status: 'True' },
          { type: 'MemoryPressure', status: 'True' },
        ],
      },
    };
    const unready = pod('slow', { ready: false });
    const svc: KObject = { kind: 'Service', metadata: meta('api'), spec: { selector: { app: 'api' } } };
    const ok: KObject = { kind: 'Service', metadata: meta('ok'), spec: { selector: { app: 'ok' } } };
    const external: KObject = { kind: 'Service', metadata: meta('ext'), spec: { type: 'ExternalName' } };
    const slice: KObject = {
      kind: 'EndpointSlice',
      metadata: meta('ok-1', { labels: { 'kubernetes.io/service-name': 'ok' } }),
      endpoints: [{ conditions: { ready: true } }],
    };
    const pvc: KObject = {
      kind: 'PersistentVolumeClaim',
      metadata: meta('data'),
      spec: { storageClassName: 'fast' },
      status: { phase: 'Pending' },
    };
    const out = findProblems(
      {
        deployments: [stuck],
        nodes: [node],
        pods: [unready],
        services: [svc, ok, external],
        endpointslices: [slice],
        persistentvolumeclaims: [pvc],
      },
      NOW,
    );
    const got = out.map((p) => `${p.kind}/${p.name} ${p.reason}`);
    // Within a severity cluster-scoped objects (no namespace) come first.
    expect(got).toEqual([
      'node/n MemoryPressure',
      'deploy/api ProgressDeadlineExceeded',
      'svc/api NoReadyEndpoints',
      'pod/slow NotReady',
      'pvc/data Pending',
    ]);
    expect(out.find((p) => p.kind === 'svc')!.message).toBe('no ready pod matches app=api');
  });

  it('keeps recent Warning events about objects no other rule flagged, newest per object and reason', () => {
    const crash = pod('crash', { waiting: { reason: 'CrashLoopBackOff' } });
    const ev = (
      name: string,
      about: { kind: string; name: string; uid?: string },
      reason: string,
      ageMs: number,
      type = 'Warning',
    ): KObject => ({
      kind: 'Event',
      metadata: meta(name),
      involvedObject: about,
      reason,
      type,
      message: `${reason} happened`,
      lastTimestamp: new Date(NOW - ageMs).toISOString(),
    });
    const events = [
      ev('e1', { kind: 'Pod', name: 'crash', uid: crash.metadata.uid }, 'BackOff', 1000),
      ev('e2', { kind: 'Ingress', name: 'site', uid: 'ing1' }, 'Sync', 5000),
      ev('e3', { kind: 'Ingress', name: 'site', uid: 'ing1' }, 'Sync', 2000),
      ev('e4', { kind: 'Job', name: 'old', uid: 'j1' }, 'BackoffLimitExceeded', RECENT_EVENT_MS + 1000),
      ev('e5', { kind: 'Pod', name: 'x', uid: 'p9' }, 'Started', 1000, 'Normal'),
    ];
    const out = findProblems({ pods: [crash], events }, NOW);
    expect(out.map((p) => `${p.kind}/${p.name} ${p.reason}`)).toEqual(['pod/crash CrashLoopBackOff', 'event/e3 Sync']);
    expect(out[1].message).toBe('ingress/site: Sync happened');
  });

  it('finds nothing wrong in a healthy namespace', () => {
    expect(findProblems({ pods: [pod('a'), pod('b')], deployments: [deployment('web', 2, 2)] }, NOW)).toEqual([]);
  });
});
