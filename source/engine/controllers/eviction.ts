import type { KObject } from '../../api-types/index.ts';
import { intOrPercent } from '../resources/validation.ts';
import { ApiError } from '../store/errors.ts';
import type { Store } from '../store/store.ts';
import { controllerRef } from '../framework/owner-refs.ts';
import { isPodActive, isPodReady, selectorMatcher } from './pods.ts';

export const PDB = 'poddisruptionbudgets.policy';

export interface BudgetStatus {
  expectedPods: number;
  currentHealthy: number;
  desiredHealthy: number;
  disruptionsAllowed: number;
}

/**
 * A PodDisruptionBudget's numbers, computed as upstream's disruption controller does: healthy =
 * active Ready pods the selector matches; expected = those pods' count for an integer
 * minAvailable, else the replicas their controllers ask for; allowed = healthy - desired.
 */
export function budgetStatus(store: Store, pdb: KObject): BudgetStatus {
  const match = selectorMatcher(pdb.spec?.selector);
  const pods = store
    .list('pods', { namespace: pdb.metadata.namespace })
    .items.filter((p) => isPodActive(p) && match(p.metadata.labels));
  const currentHealthy = pods.filter(isPodReady).length;
  const { minAvailable, maxUnavailable } = pdb.spec ?? {};
  let expectedPods: number;
  let desiredHealthy: number;
  if (maxUnavailable !== undefined && maxUnavailable !== null) {
    expectedPods = expectedCount(store, pods);
    desiredHealthy = Math.max(0, expectedPods - intOrPercent(maxUnavailable, expectedPods, true));
  } else if (typeof minAvailable === 'number' || minAvailable === undefined || minAvailable === null) {
    expectedPods = pods.length;
    desiredHealthy = typeof minAvailable === 'number' ? minAvailable : 1;
  } else {
    expectedPods = expectedCount(store, pods);
    desiredHealthy = intOrPercent(minAvailable, expectedPods, true);
  }
  return {
    expectedPods,
    currentHealthy,
    desiredHealthy,
    disruptionsAllowed: Math.max(0, currentHealthy - desiredHealthy),
  };
}

/**
 * The `pods/eviction` subresource (kubectl drain): delete the pod unless that would take its
 * PodDisruptionBudget below its healthy minimum — then 429 with the apiserver's wording, which
 * drain retries. Finished, pending and deleting pods are not protected (upstream's canIgnorePDB).
 * The budget is computed from the live pods at the time of the request, so evictions one after
 * another see the pods the earlier ones took (upstream decrements status.disruptionsAllowed).
 */
export function evictPod(
  store: Store,
  namespace: string,
  name: string,
  opts: { gracePeriodSeconds?: number; dryRun?: boolean } = {},
): KObject {
  const pod = store.mustGet('pods', namespace, name);
  if (pod.metadata.deletionTimestamp) return pod;
  const phase = pod.status?.phase;
  const ignore = phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending';
  if (!ignore && store.registry.get(PDB)) checkBudgets(store, pod);
  return store.delete('pods', namespace, name, { gracePeriodSeconds: opts.gracePeriodSeconds, dryRun: opts.dryRun })
    .object;
}

function checkBudgets(store: Store, pod: KObject): void {
  const ns = pod.metadata.namespace!;
  const budgets = store
    .list(PDB, { namespace: ns })
    .items.filter((b) => selectorMatcher(b.spec?.selector)(pod.metadata.labels));
  if (!budgets.length) return;
  if (budgets.length > 1)
    throw new ApiError(
      500,
      'InternalError',
      'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    );
  const pdb = budgets[0]!;
  const b = budgetStatus(store, pdb);
  if (!isPodReady(pod)) {
    // An unhealthy pod may go while the budget is met (IfHealthyBudget), or always (AlwaysAllow).
    if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') return;
    if (b.currentHealthy >= b.desiredHealthy && b.desiredHealthy > 0) return;
  }
  if (b.disruptionsAllowed > 0) return;
  throw new ApiError(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
    causes: [
      {
        reason: 'DisruptionBudget',
        message: `The disruption budget ${pdb.metadata.name} needs ${b.desiredHealthy} healthy pods and has ${b.currentHealthy} currently`,
      },
    ],
  });
}

/** The replicas the pods' controllers want (upstream's expected count), falling back to the pod count. */
function expectedCount(store: Store, pods: KObject[]): number {
  const owners = new Map<string, number>();
  let loose = 0;
  for (const p of pods) {
    const ref = controllerRef(p);
    const resource =
      ref?.kind === 'ReplicaSet' ? 'replicasets.apps' : ref?.kind === 'StatefulSet' ? 'statefulsets.apps' : undefined;
    const owner = resource ? store.get(resource, p.metadata.namespace, ref!.name) : undefined;
    if (owner && typeof owner.spec?.replicas === 'number') owners.set(owner.metadata.uid!, owner.spec.replicas);
    else loose++;
  }
  let n = loose;
  for (const r of owners.values()) n += r;
  return n;
}
