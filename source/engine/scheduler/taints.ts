import type { NodeCondition, NodeSelectorRequirement, NodeSelectorTerm, PodSpec } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../../api-types/index.ts';

/** Taints, tolerations and node selection shared by the scheduler and the node/DaemonSet controllers. */

export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export const NOT_READY = 'node.kubernetes.io/not-ready';
export const UNREACHABLE = 'node.kubernetes.io/unreachable';
export const UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

export function tolerated(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => tolerates(t, taint));
}

export function readyStatus(node: KObject): string | undefined {
  return (node.status?.conditions ?? []).find((c: NodeCondition | null) => c?.type === 'Ready')?.status;
}

/**
 * The node's taints plus the not-ready/unreachable NoSchedule taint its Ready condition implies
 * (Kubernetes adds it through TaintNodesByCondition; here it also holds before that runs).
 */
export function effectiveTaints(node: KObject): Taint[] {
  const taints: Taint[] = [...(node.spec?.taints ?? [])];
  const ready = readyStatus(node);
  const implied = ready === 'False' ? NOT_READY : ready === 'Unknown' ? UNREACHABLE : undefined;
  if (implied && !taints.some((t) => t.key === implied && t.effect === 'NoSchedule'))
    taints.push({ key: implied, effect: 'NoSchedule' });
  return taints;
}

/** The first NoSchedule/NoExecute taint (of the given effects) the pod does not tolerate. */
export function untoleratedTaint(
  taints: Taint[],
  tolerations: Toleration[] | undefined,
  effects = ['NoSchedule', 'NoExecute'],
): Taint | undefined {
  return taints.find((t) => effects.includes(t.effect) && !tolerated(tolerations, t));
}

function matchExpr(e: NodeSelectorRequirement | undefined, value: string | undefined): boolean {
  const values: string[] = e?.values ?? [];
  switch (e?.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

export function matchNodeSelectorTerm(term: NodeSelectorTerm | undefined, node: KObject): boolean {
  const exprs = term?.matchExpressions ?? [];
  const fields = term?.matchFields ?? [];
  if (!exprs.length && !fields.length) return false;
  const labels = node.metadata.labels ?? {};
  return (
    exprs.every((e) => matchExpr(e, Object.prototype.hasOwnProperty.call(labels, e.key) ? labels[e.key] : undefined)) &&
    fields.every((f) => matchExpr(f, f.key === 'metadata.name' ? node.metadata.name : undefined))
  );
}

/** nodeSelector and required node affinity (NodeAffinity filter). */
export function matchesNodeSelection(
  spec: Pick<PodSpec, 'nodeSelector' | 'affinity'> | undefined,
  node: KObject,
): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required) {
    const terms = required.nodeSelectorTerms ?? [];
    if (!terms.some((t) => matchNodeSelectorTerm(t, node))) return false;
  }
  return true;
}
