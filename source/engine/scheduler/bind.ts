import type { PodCondition } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../../api-types/index.ts';
import { rfc3339 } from '../clock.ts';
import { ApiError } from '../store/errors.ts';
import type { Store } from '../store/store.ts';

/** A pod condition as the apiserver writes it: lastProbeTime is null, not absent. */
type Condition = Omit<PodCondition, 'lastProbeTime'> & { lastProbeTime?: string | null };

/** Set or replace a pod condition, keeping lastTransitionTime while the status is unchanged. */
export function setPodCondition(
  pod: KObject,
  cond: { type: string; status: string; reason?: string; message?: string },
  now: number,
): boolean {
  pod.status ??= {};
  const list: Condition[] = (pod.status.conditions ??= []);
  const i = list.findIndex((c) => c?.type === cond.type);
  const cur = i >= 0 ? list[i] : undefined;
  if (cur && cur.status === cond.status && cur.reason === cond.reason && cur.message === cond.message) return false;
  const next: Condition = {
    type: cond.type,
    status: cond.status,
    lastProbeTime: null,
    lastTransitionTime: cur && cur.status === cond.status ? cur.lastTransitionTime : rfc3339(now),
  };
  if (cond.reason) next.reason = cond.reason;
  if (cond.message) next.message = cond.message;
  if (i >= 0) list[i] = next;
  else list.push(next);
  return true;
}

/**
 * Bind a pod to a node as the `pods/binding` subresource does: set spec.nodeName (only once; 409
 * when already bound elsewhere) and the PodScheduled=True condition. Returns the updated pod.
 */
export function bindPod(store: Store, namespace: string, name: string, node: string): KObject {
  const pod = store.mustGet('pods', namespace, name);
  if (pod.spec?.nodeName && pod.spec.nodeName !== node) {
    throw new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is already assigned to node "${pod.spec.nodeName}"`,
      {
        name,
        kind: 'pods/binding',
      },
    );
  }
  if (pod.metadata.deletionTimestamp) {
    throw new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is being deleted, cannot be assigned to a host`,
      { name, kind: 'pods/binding' },
    );
  }
  // setPodCondition replaces a condition or appends one; the store shares the rest of the stored pod.
  const next = {
    metadata: { name, namespace, resourceVersion: pod.metadata.resourceVersion },
    spec: { nodeName: node },
    status: { ...pod.status, conditions: [...(pod.status?.conditions ?? [])] },
  } as KObject;
  const scheduled = setPodCondition(next, { type: 'PodScheduled', status: 'True' }, store.clock.now());
  if (!scheduled && pod.spec?.nodeName) return pod;
  return store.update('pods', next, { subresource: 'binding' });
}
