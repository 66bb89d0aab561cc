import type { KObject } from '../../../source/api-types/index.ts';

let seq = 0;
export const uid = () => `uid-${++seq}`;

export function meta(name: string, extra: Partial<KObject['metadata']> = {}): KObject['metadata'] {
  return { name, namespace: 'default', uid: uid(), creationTimestamp: '2026-01-01T00:00:00Z', ...extra };
}

export const owned = (owner: KObject, kind: string) => ({
  ownerReferences: [
    { apiVersion: 'apps/v1', kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true },
  ],
});

export function deployment(name: string, replicas: number, ready: number, extra: Partial<KObject> = {}): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name),
    spec: { replicas },
    status: { readyReplicas: ready, availableReplicas: ready, updatedReplicas: ready },
    ...extra,
  };
}

export function replicaSet(owner: KObject, name: string, revision: number, replicas: number, ready: number): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: meta(name, {
      ...owned(owner, 'Deployment'),
      annotations: { 'deployment.kubernetes.io/revision': String(revision) },
    }),
    spec: { replicas },
    status: { readyReplicas: ready },
  };
}

type Waiting = { reason: string; message?: string };
export function pod(
  name: string,
  opts: {
    owner?: KObject;
    ownerKind?: string;
    node?: string;
    waiting?: Waiting;
    ready?: boolean;
    restarts?: number;
    phase?: string;
    labels?: Record<string, string>;
    conditions?: unknown[];
    lastExit?: { reason: string; exitCode: number };
  } = {},
): KObject {
  const running = !opts.waiting && opts.phase !== 'Pending';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(name, {
      ...(opts.owner ? owned(opts.owner, opts.ownerKind ?? 'ReplicaSet') : {}),
      labels: opts.labels,
    }),
    spec: { nodeName: opts.node, containers: [{ name: 'app', image: 'nginx:1.25' }] },
    status: {
      phase: opts.phase ?? 'Running',
      conditions: opts.conditions ?? [{ type: 'Ready', status: opts.ready === false || !running ? 'False' : 'True' }],
      containerStatuses:
        opts.phase === 'Pending' && !opts.waiting
          ? []
          : [
              {
                name: 'app',
                ready: running && opts.ready !== false,
                restartCount: opts.restarts ?? 0,
                state: opts.waiting ? { waiting: opts.waiting } : { running: { startedAt: '2026-01-01T00:00:00Z' } },
                lastState: opts.lastExit ? { terminated: opts.lastExit } : {},
              },
            ],
    },
  };
}
