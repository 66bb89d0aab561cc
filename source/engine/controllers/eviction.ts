import type { KObject } from '../../api-types/index.ts';
import { intOrPercent } from '../resources/validation.ts';
import { ApiError } from '../store/errors.ts';
import type { Store } from '../store/store.ts';
import { controllerRef, isPodActive, isPodReady, selectorMatcher } from './pods.ts';

const PDB = 'poddisruptionbudgets.policy';

/**
 * The `pods/eviction` subresource (kubectl drain): delete the pod unless that would take a
 * PodDisruptionBudget below its healthy minimum (429, as the apiserver answers). PDBs are only
 * checked when the registry serves them.
 */
export function evictPod(store: Store, namespace: string, name: string, opts: { gracePeriodSeconds?: number; dryRun?: boolean } = {}): KObject {
  const pod = store.mustGet('pods', namespace, name);
  if (pod.metadata.deletionTimestamp) return pod;
  const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
  if (!terminal && store.registry.get(PDB)) checkBudgets(store, pod);
  return store.delete('pods', namespace, name, { gracePeriodSeconds: opts.gracePeriodSeconds, dryRun: opts.dryRun }).object;
}

function checkBudgets(store: Store, pod: KObject): void {
  const ns = pod.metadata.namespace!;
  const budgets = store.list(PDB, { namespace: ns }).items.filter((b) => selectorMatcher(b.spec?.selector)(pod.metadata.labels));
  if (!budgets.length) return;
  if (budgets.length > 1) throw new ApiError(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
  const pdb = budgets[0]!;
  const match = selectorMatcher(pdb.spec.selector);
  const pods = store.list('pods', { namespace: ns }).items.filter((p) => isPodActive(p) && match(p.metadata.labels));
  const healthy = pods.filter(isPodReady).length;
  const expected = expectedCount(store, pods);
  let desired: number;
  if (pdb.spec.maxUnavailable !== undefined) desired = expected - intOrPercent(pdb.spec.maxUnavailable, expected, true);
  else desired = intOrPercent(pdb.spec.minAvailable ?? 1, expected, true);
  // An unready pod may go as long as the budget is met (unhealthyPodEvictionPolicy IfHealthyBudget).
  if ((isPodReady(pod) ? healthy - 1 : healthy) >= desired) return;
  throw new ApiError(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
    causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${pdb.metadata.name} needs ${desired} healthy pods and has ${healthy} currently` }],
  });
}

/** The replicas the pods' controllers want (upstream's expected count), falling back to the pod count. */
function expectedCount(store: Store, pods: KObject[]): number {
  const owners = new Map<string, number>();
  let loose = 0;
  for (const p of pods) {
    const ref = controllerRef(p);
    const resource = ref?.kind === 'ReplicaSet' ? 'replicasets.apps' : ref?.kind === 'StatefulSet' ? 'statefulsets.apps' : undefined;
    const owner = resource ? store.get(resource, p.metadata.namespace, ref!.name) : undefined;
    if (owner && typeof owner.spec?.replicas === 'number') owners.set(owner.metadata.uid!, owner.spec.replicas);
    else loose++;
  }
  let n = loose;
  for (const r of owners.values()) n += r;
  return n;
}
