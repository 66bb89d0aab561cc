import type { Pod } from 'kubernetes-types/core/v1.d.ts';

/** Upstream's default --horizontal-pod-autoscaler-tolerance: no change within ±10 % of the target. */
export const TOLERANCE = 0.1;

export class MetricError extends Error {}

/** A pod as the calculator sees it: its phase and readiness, its usage and request (milli-units). */
export interface PodSample {
  name: string;
  pod: Pod;
  /** Usage of the resource in milli-units (millicores; bytes × 1000), undefined when not measured. */
  usage?: number;
  /** Sum of the containers' requests in milli-units; undefined when a container has none. */
  request?: number;
  /** The container without a request, for the error message. */
  missingRequestIn?: string;
}

export interface Proposal {
  replicas: number;
  /** Utilization in percent of the request (Utilization targets). */
  utilization?: number;
  /** Average usage per pod in milli-units. */
  average: number;
}

type Group = 'ready' | 'unready' | 'missing' | 'ignored';

/**
 * Sort pods as upstream's groupPods does. Simplified readiness (documented in the README): a pod
 * whose Ready condition is not True counts as unready for CPU; upstream also looks at when it
 * became ready within the CPU initialization period.
 */
function groupOf(p: PodSample, resource: string): Group {
  const pod = p.pod;
  if (pod.metadata?.deletionTimestamp || pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded')
    return 'ignored';
  if (pod.status?.phase === 'Pending') return 'unready';
  if (p.usage === undefined) return 'missing';
  if (resource === 'cpu') {
    const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
    if (ready?.status !== 'True') return 'unready';
  }
  return 'ready';
}

/**
 * The replica count for one resource metric, following upstream's ReplicaCalculator: usage over
 * ready pods with metrics; missing pods are assumed at the target (or 100 % of request) when
 * scaling down and at zero when scaling up; unready pods at zero when scaling up; no change within
 * the tolerance or when the assumptions would flip the direction.
 */
export function calculateReplicas(
  currentReplicas: number,
  samples: PodSample[],
  resource: string,
  target: { utilization?: number; averageValue?: number },
): Proposal {
  if (!samples.length) throw new MetricError('no pods returned by selector while calculating replica count');
  const groups = new Map<Group, PodSample[]>([
    ['ready', []],
    ['unready', []],
    ['missing', []],
    ['ignored', []],
  ]);
  for (const s of samples) groups.get(groupOf(s, resource))!.push(s);
  const ready = groups.get('ready')!;
  const unready = groups.get('unready')!;
  const missing = groups.get('missing')!;
  const usage = new Map(ready.map((s) => [s.name, s.usage!]));
  if (!usage.size)
    throw new MetricError(
      `unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`,
    );

  const utilization = target.utilization;
  const counted = [...ready, ...unready, ...missing];
  if (utilization !== undefined) {
    for (const s of counted) {
      if (s.request === undefined)
        throw new MetricError(
          `missing request for ${resource} in container ${s.missingRequestIn ?? ''} of Pod ${s.name}`,
        );
    }
  }
  const requests = new Map(counted.map((s) => [s.name, s.request ?? 0]));
  const ratioOf = (m: Map<string, number>) => {
    let total = 0;
    for (const v of m.values()) total += v;
    if (utilization !== undefined) {
      let req = 0;
      for (const k of m.keys()) req += requests.get(k)!;
      if (req === 0) throw new MetricError(`no metrics returned matched known pods`);
      const util = Math.trunc((total * 100) / req);
      return { ratio: util / utilization, utilization: util, average: Math.trunc(total / m.size) };
    }
    const average = Math.trunc(total / m.size);
    return { ratio: average / target.averageValue!, utilization: undefined, average };
  };

  const first = ratioOf(usage);
  const scaleUpWithUnready = unready.length > 0 && first.ratio > 1;
  const result = (replicas: number): Proposal => ({ replicas, utilization: first.utilization, average: first.average });
  if (!scaleUpWithUnready && !missing.length) {
    if (Math.abs(1 - first.ratio) <= TOLERANCE) return result(currentReplicas);
    return result(Math.ceil(first.ratio * ready.length));
  }
  if (missing.length) {
    for (const s of missing) {
      if (first.ratio < 1) {
        usage.set(
          s.name,
          utilization !== undefined ? (requests.get(s.name)! * Math.max(100, utilization)) / 100 : target.averageValue!,
        );
      } else if (first.ratio > 1) usage.set(s.name, 0);
    }
  }
  if (scaleUpWithUnready) for (const s of unready) usage.set(s.name, 0);
  const next = ratioOf(usage);
  if (
    Math.abs(1 - next.ratio) <= TOLERANCE ||
    (first.ratio < 1 && next.ratio > 1) ||
    (first.ratio > 1 && next.ratio < 1)
  )
    return result(currentReplicas);
  const replicas = Math.ceil(next.ratio * usage.size);
  if ((next.ratio < 1 && replicas > currentReplicas) || (next.ratio > 1 && replicas < currentReplicas))
    return result(currentReplicas);
  return result(replicas);
}
