import type { PodCondition } from 'kubernetes-types/core/v1.d.ts';
import type { LabelSelector } from 'kubernetes-types/meta/v1.d.ts';
import type { KObject } from '../../api-types/index.ts';
import { newControllerRef } from '../framework/owner-refs.ts';
import { labelSelectorString } from '../../api-types/label-selector.ts';
import { copyJson } from '../store/copy.ts';
import { parseLabelSelector } from '../store/selectors.ts';

/** Pod helpers shared by the workload controllers. */

type Matcher = (labels: Record<string, string> | undefined) => boolean;
const compiled = new WeakMap<object, Matcher>();

/**
 * Compile a metav1.LabelSelector (cached per stored selector object); a missing selector
 * matches nothing, an empty one everything.
 */
export function selectorMatcher(sel: unknown): Matcher {
  if (!sel || typeof sel !== 'object') return () => false;
  let m = compiled.get(sel);
  if (!m) {
    try {
      const s = labelSelectorString(sel as LabelSelector);
      m = s === undefined ? () => false : (parseLabelSelector(s) ?? (() => true));
    } catch {
      m = () => false;
    }
    compiled.set(sel, m);
  }
  return m;
}

export function parseTime(s: unknown): number {
  return typeof s === 'string' ? Date.parse(s) : NaN;
}

/** Not finished and not being deleted: counts towards a controller's replicas. */
export function isPodActive(pod: KObject): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

export function podCondition(pod: KObject, type: string): PodCondition | undefined {
  return (pod.status?.conditions ?? []).find((c: PodCondition | null) => c?.type === type);
}

export function isPodReady(pod: KObject): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/** When the pod became Ready (ms), or NaN. */
export function readySince(pod: KObject): number {
  const c = podCondition(pod, 'Ready');
  return c?.status === 'True' ? parseTime(c.lastTransitionTime) : NaN;
}

/** Ready for at least minReadySeconds (scaled by the engine's time scale). */
export function isPodAvailable(pod: KObject, minReadySeconds: number, now: number, scale = 1): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const since = readySince(pod);
  return !Number.isNaN(since) && since + minReadySeconds * 1000 * scale <= now;
}

export function restartCount(pod: KObject): number {
  let n = 0;
  for (const s of pod.status?.containerStatuses ?? []) n += s?.restartCount ?? 0;
  return n;
}

/** A pod template as stored (a ControllerRevision's too): the parts a pod is made of. */
interface TemplateLike {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] };
  spec?: unknown;
}

/** A pod for a controller, from its template (labels, annotations, spec) with a controller ref. */
export function podFromTemplate(
  template: TemplateLike | undefined,
  owner: KObject,
  extraLabels: Record<string, string> = {},
): KObject {
  const t: TemplateLike = copyJson(template ?? {});
  const meta = t.metadata ?? {};
  const pod: KObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace,
      labels: { ...(meta.labels ?? {}), ...extraLabels },
      ownerReferences: [newControllerRef(owner)],
    },
    spec: t.spec ?? {},
  };
  if (meta.annotations && Object.keys(meta.annotations).length) pod.metadata.annotations = { ...meta.annotations };
  if (meta.finalizers?.length) pod.metadata.finalizers = [...meta.finalizers];
  return pod;
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * Order pods from the one to delete first (Kubernetes's ActivePodsWithRanks): unassigned before
 * assigned, Pending < Unknown < Running, not ready before ready, more co-located siblings first,
 * ready for less time first, more restarts first, newer first.
 */
export function compareForDeletion(a: KObject, b: KObject, rank: (p: KObject) => number = () => 0): number {
  const an = a.spec?.nodeName ? 1 : 0;
  const bn = b.spec?.nodeName ? 1 : 0;
  if (an !== bn) return an - bn;
  const ap = PHASE_RANK[a.status?.phase] ?? 0;
  const bp = PHASE_RANK[b.status?.phase] ?? 0;
  if (ap !== bp) return ap - bp;
  const ar = isPodReady(a) ? 1 : 0;
  const br = isPodReady(b) ? 1 : 0;
  if (ar !== br) return ar - br;
  const rk = rank(b) - rank(a);
  if (rk !== 0) return rk;
  if (ar && br) {
    const at = readySince(a);
    const bt = readySince(b);
    if (at !== bt && !Number.isNaN(at) && !Number.isNaN(bt)) return bt - at;
  }
  const rc = restartCount(b) - restartCount(a);
  if (rc !== 0) return rc;
  const ac = parseTime(a.metadata.creationTimestamp);
  const bc = parseTime(b.metadata.creationTimestamp);
  if (ac !== bc) return bc - ac;
  return (b.metadata.name ?? '') < (a.metadata.name ?? '') ? -1 : 1;
}

/** Remove null/undefined and empty maps/lists, sort keys: Go's semantic equality in JSON terms. */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) {
    const out = v.map(canonical);
    return out.length ? out : undefined;
  }
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const c = canonical((v as Record<string, unknown>)[k]);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v === null ? undefined : v;
}
