import type { KObject } from '../../api-types/index.ts';
import { rfc3339 } from '../clock.ts';
import {
  type Condition,
  type DeploymentStatusDraft,
  getCondition,
  maxUnavailable,
  removeCondition,
  replicasOf,
  setCondition,
  sumSpec,
  sumStatus,
} from './deployment-util.ts';
import { parseTime } from './pods.ts';

/** Deployment status and the Available/Progressing conditions, as upstream computes them. */

export const NO_DEADLINE = 2147483647;

export function hasProgressDeadline(d: KObject): boolean {
  const s = d.spec?.progressDeadlineSeconds;
  return s !== undefined && s !== null && s !== NO_DEADLINE;
}

export function newCondition(now: number, type: string, status: string, reason: string, message: string): Condition {
  const t = rfc3339(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

const n = (v: unknown) => (typeof v === 'number' ? v : 0);

export function calculateStatus(
  all: KObject[],
  newRS: KObject | undefined,
  d: KObject,
  now: number,
): DeploymentStatusDraft {
  const available = sumStatus(all, 'availableReplicas');
  const unavailable = Math.max(0, sumSpec(all) - available);
  const status: DeploymentStatusDraft = { observedGeneration: d.metadata.generation };
  const put = (k: string, v: number) => {
    if (v) status[k] = v;
  };
  put('replicas', sumStatus(all, 'replicas'));
  put('updatedReplicas', n(newRS?.status?.replicas));
  put('readyReplicas', sumStatus(all, 'readyReplicas'));
  put('availableReplicas', available);
  put('unavailableReplicas', unavailable);
  if (d.status?.conditions?.length) status.conditions = structuredClone(d.status.conditions);
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setCondition(
      status,
      newCondition(now, 'Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'),
    );
  } else {
    setCondition(
      status,
      newCondition(
        now,
        'Available',
        'False',
        'MinimumReplicasUnavailable',
        'Deployment does not have minimum availability.',
      ),
    );
  }
  return status;
}

export function deploymentComplete(d: KObject, s: DeploymentStatusDraft): boolean {
  const want = replicasOf(d);
  return (
    n(s?.updatedReplicas) === want &&
    n(s?.replicas) === want &&
    n(s?.availableReplicas) === want &&
    n(s?.observedGeneration) >= (d.metadata.generation ?? 0)
  );
}

/** More updated, ready or available replicas, or fewer old ones, than the stored status says. */
export function deploymentProgressing(d: KObject, s: DeploymentStatusDraft): boolean {
  const old = d.status ?? {};
  return (
    n(s.updatedReplicas) > n(old.updatedReplicas) ||
    n(s.replicas) - n(s.updatedReplicas) < n(old.replicas) - n(old.updatedReplicas) ||
    n(s.readyReplicas) > n(old.readyReplicas) ||
    n(s.availableReplicas) > n(old.availableReplicas)
  );
}

export function deploymentTimedOut(d: KObject, s: DeploymentStatusDraft, now: number, scale = 1): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing');
  if (!c || c.reason === 'NewReplicaSetAvailable') return false;
  if (c.reason === 'ProgressDeadlineExceeded') return true;
  return parseTime(c.lastUpdateTime) + d.spec.progressDeadlineSeconds * 1000 * scale < now;
}

/** The Progressing condition after a rollout step (upstream syncRolloutStatus). */
export function rolloutStatus(
  all: KObject[],
  newRS: KObject | undefined,
  d: KObject,
  now: number,
  scale = 1,
): DeploymentStatusDraft {
  const status = calculateStatus(all, newRS, d, now);
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
  const cur = getCondition(d.status, 'Progressing');
  const complete = n(status.replicas) === n(status.updatedReplicas) && cur?.reason === 'NewReplicaSetAvailable';
  const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
  if (hasProgressDeadline(d) && !complete) {
    if (deploymentComplete(d, status)) {
      setCondition(
        status,
        newCondition(now, 'Progressing', 'True', 'NewReplicaSetAvailable', `${subject} has successfully progressed.`),
      );
    } else if (deploymentProgressing(d, status)) {
      // Progress only moves lastUpdateTime; lastTransitionTime stays while the status is True.
      const c = newCondition(now, 'Progressing', 'True', 'ReplicaSetUpdated', `${subject} is progressing.`);
      if (cur) {
        if (cur.status === 'True') c.lastTransitionTime = cur.lastTransitionTime;
        removeCondition(status, 'Progressing');
      }
      setCondition(status, c);
    } else if (deploymentTimedOut(d, status, now, scale)) {
      setCondition(
        status,
        newCondition(now, 'Progressing', 'False', 'ProgressDeadlineExceeded', `${subject} has timed out progressing.`),
      );
    }
  }
  const failure = replicaFailure(all, newRS);
  if (failure) setCondition(status, { ...failure, type: 'ReplicaFailure', lastUpdateTime: failure.lastTransitionTime });
  else removeCondition(status, 'ReplicaFailure');
  return status;
}

function replicaFailure(all: KObject[], newRS: KObject | undefined): Condition | undefined {
  const find = (rs: KObject | undefined): Condition | undefined =>
    (rs?.status?.conditions ?? []).find(
      (c: Condition | undefined) => c?.type === 'ReplicaFailure' && c.status === 'True',
    );
  return find(newRS) ?? all.map(find).find(Boolean);
}

/** Clock delay until the Progressing deadline must be re-checked, or undefined when it needn't be. */
export function stuckRecheckMs(d: KObject, status: DeploymentStatusDraft, now: number, scale = 1): number | undefined {
  const cur = getCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || !cur) return undefined;
  if (deploymentComplete(d, status) || cur.reason === 'ProgressDeadlineExceeded') return undefined;
  const after = parseTime(cur.lastUpdateTime) + d.spec.progressDeadlineSeconds * 1000 * scale - now;
  return Math.max(0, after) / scale + 1000;
}
