import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../source/api-types/index.ts';
import {
  podStatus,
  podTrouble,
  renderRollout,
  rollingLimits,
  rolloutLineTone,
  rolloutState,
} from '../../../source/ui/features/rollout-text.ts';

const REVISION = 'deployment.kubernetes.io/revision';

function deploy(spec: Record<string, unknown>, status: Record<string, unknown> = {}, revision = '2'): KObject {
  return {
    metadata: { name: 'web', uid: 'd1', generation: 2, annotations: { [REVISION]: revision } },
    spec: { replicas: 4, ...spec },
    status: { observedGeneration: 2, ...status },
  };
}

function rs(
  name: string,
  revision: string,
  replicas: number,
  image: string,
  status: Record<string, unknown> = {},
): KObject {
  return {
    metadata: {
      name,
      uid: name,
      annotations: { [REVISION]: revision },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd1' }],
    },
    spec: { replicas, template: { spec: { containers: [{ name: 'c', image }] } } },
    status,
  };
}

function pod(name: string, owner: string, status: Record<string, unknown>): KObject {
  return {
    metadata: { name, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: owner }] },
    status,
  };
}

const waiting = (reason: string, message?: string) => ({
  containerStatuses: [{ name: 'c', state: { waiting: { reason, message } } }],
});

describe('rollingLimits', () => {
  it('resolves percentages against the replica count: surge rounds up, unavailable down', () => {
    expect(rollingLimits(deploy({ strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } }))).toEqual({
      surge: 1,
      unavailable: 1,
      rawSurge: '25%',
      rawUnavailable: '25%',
    });
    expect(
      rollingLimits(deploy({ replicas: 3, strategy: { rollingUpdate: { maxSurge: '50%', maxUnavailable: '50%' } } })),
    ).toMatchObject({ surge: 2, unavailable: 1 });
  });

  it('defaults to 25%/25% and never lets both be zero', () => {
    expect(rollingLimits(deploy({ replicas: 1 }))).toEqual({
      surge: 1,
      unavailable: 0,
      rawSurge: '25%',
      rawUnavailable: '25%',
    });
    expect(rollingLimits(deploy({ strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } }))).toMatchObject({
      surge: 0,
      unavailable: 1,
    });
  });
});

describe('podTrouble and podStatus', () => {
  it('names the known dead ends with their message, and an unschedulable pod', () => {
    expect(podTrouble(pod('p', 'r', waiting('ImagePullBackOff', 'Back-off pulling image "nginx:abc"')))).toBe(
      'ImagePullBackOff: Back-off pulling image "nginx:abc"',
    );
    expect(podTrouble(pod('p', 'r', waiting('ContainerCreating')))).toBeUndefined();
    const unschedulable = {
      conditions: [
        { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available' },
      ],
    };
    expect(podTrouble(pod('p', 'r', unschedulable))).toBe('Unschedulable: 0/3 nodes are available');
  });

  it('shows Terminating, then a waiting or terminated reason, then the phase', () => {
    expect(podStatus({ metadata: { name: 'p', deletionTimestamp: 'now' }, status: { phase: 'Running' } })).toBe(
      'Terminating',
    );
    expect(podStatus(pod('p', 'r', waiting('CrashLoopBackOff')))).toBe('CrashLoopBackOff');
    expect(podStatus(pod('p', 'r', { phase: 'Running', containerStatuses: [{ state: { running: {} } }] }))).toBe(
      'Running',
    );
    expect(podStatus({ metadata: { name: 'p' } })).toBe('Pending');
  });
});

describe('rolloutState', () => {
  const newRs = rs('web-new', '2', 4, 'nginx:2');

  it('paused wins; a progress deadline or a stuck new pod is stuck', () => {
    expect(rolloutState(deploy({ paused: true }), newRs, []).phase).toBe('paused');
    const deadline = deploy(
      {},
      {
        conditions: [
          { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'timed out' },
        ],
      },
    );
    expect(rolloutState(deadline, newRs, [])).toEqual({
      phase: 'stuck',
      reason: 'ProgressDeadlineExceeded: timed out',
    });
    expect(rolloutState(deploy({}), newRs, [pod('web-new-1', 'web-new', waiting('ErrImagePull'))])).toEqual({
      phase: 'stuck',
      reason: 'pod web-new-1: ErrImagePull',
    });
  });

  it('an old pod in trouble does not make the rollout stuck', () => {
    expect(rolloutState(deploy({}), newRs, [pod('web-old-1', 'web-old', waiting('ErrImagePull'))]).phase).toBe(
      'progressing',
    );
  });

  it('says what it waits for, and complete once the status caught up with this generation', () => {
    expect(rolloutState(deploy({}, { updatedReplicas: 1 }), newRs, []).reason).toBe(
      '1 of 4 new replicas have been updated',
    );
    expect(rolloutState(deploy({}, { updatedReplicas: 4, replicas: 6 }), newRs, []).reason).toBe(
      '2 old replicas are pending termination',
    );
    expect(rolloutState(deploy({}, { updatedReplicas: 4, replicas: 4, availableReplicas: 3 }), newRs, []).reason).toBe(
      '3 of 4 updated replicas are available',
    );
    const done = { updatedReplicas: 4, replicas: 4, availableReplicas: 4 };
    expect(rolloutState(deploy({}, done), newRs, [])).toEqual({
      phase: 'complete',
      reason: 'deployment "web" successfully rolled out',
    });
    expect(rolloutState(deploy({}, { ...done, observedGeneration: 1 }), newRs, []).phase).toBe('progressing');
  });
});

describe('renderRollout', () => {
  it('lists ReplicaSets newest first with bars, and the pods of this deployment with their trouble', () => {
    const sets = [
      rs('web-old', '1', 2, 'nginx:1', { readyReplicas: 2, availableReplicas: 2 }),
      rs('web-new', '2', 3, 'nginx:2', { readyReplicas: 1 }),
    ];
    const pods = [
      pod('web-new-b', 'web-new', waiting('ImagePullBackOff')),
      pod('web-old-a', 'web-old', { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }),
      pod('other', 'elsewhere', {}),
    ];
    const lines = renderRollout(deploy({}, { updatedReplicas: 3, replicas: 5 }), sets, pods, 120);
    expect(lines[0]).toBe('Strategy: RollingUpdate   maxSurge 25% (=1)   maxUnavailable 25% (=1)');
    expect(lines[1]).toBe('          at most 5 pods, at least 3 available during the rollout');
    expect(lines[3]).toBe('✗ STUCK: pod web-new-b: ImagePullBackOff');
    const revisions = lines.filter((l) => /^\s+\d (new|old)/.test(l));
    expect(revisions).toEqual([
      `   2 new  ${'web-new'.padEnd(28)} nginx:2`,
      `   1 old  ${'web-old'.padEnd(28)} nginx:1`,
    ]);
    expect(lines).toContain('PODS (2)');
    expect(lines.find((l) => l.startsWith('  web-new-b'))).toMatch(
      /ImagePullBackOff\s+not ready rev 2 \(new\)  ← ImagePullBackOff$/,
    );
    expect(lines.find((l) => l.startsWith('  web-old-a'))).toMatch(/Running\s+ready\s+rev 1$/);
    expect(lines.some((l) => l.includes('other'))).toBe(false);
  });

  it('a Recreate deployment without ReplicaSets says so', () => {
    const lines = renderRollout(deploy({ strategy: { type: 'Recreate' } }), [], [], 80);
    expect(lines[0]).toBe('Strategy: Recreate');
    expect(lines).toContain('  (no ReplicaSets yet)');
  });
});

describe('rolloutLineTone', () => {
  it('colours stuck lines as errors, complete as ok, waiting as warnings', () => {
    expect(rolloutLineTone('✗ STUCK: x')).toBe('error');
    expect(rolloutLineTone('  p Running ready rev 1  ← ErrImagePull')).toBe('error');
    expect(rolloutLineTone('✓ COMPLETE: done')).toBe('ok');
    expect(rolloutLineTone('⟳ ROLLING OUT: 1 of 2')).toBe('warn');
    expect(rolloutLineTone('REVISION  REPLICASET')).toBeUndefined();
  });
});
