import type { KObject } from '../../api-types/index.ts';
import { type NodeInfo, portConflict } from './node-info.ts';
import type { Resources } from './resources.ts';
import { volumesFitNode } from './volume-binding.ts';
import { UNSCHEDULABLE, effectiveTaints, matchesNodeSelection, tolerated, untoleratedTaint } from './taints.ts';

/** Why a node cannot take a pod; `unresolvable` means preemption could not help either. */
export interface Rejection {
  reasons: string[];
  unresolvable: boolean;
}

export interface PodFacts {
  pod: KObject;
  requests: Resources;
  ports: string[];
  /** Node affinity of the PersistentVolumes the pod's claims are bound to. */
  volumeTerms?: unknown[][];
}

/**
 * The filter plugins in kube-scheduler's order (NodeUnschedulable, TaintToleration, NodeAffinity,
 * NodePorts, NodeResourcesFit); the first one that rejects the node gives the reasons.
 */
export function filterNode(f: PodFacts, info: NodeInfo): Rejection | undefined {
  const node = info.node!;
  const spec = f.pod.spec ?? {};
  if (node.spec?.unschedulable && !tolerated(spec.tolerations, { key: UNSCHEDULABLE, effect: 'NoSchedule' })) {
    return { reasons: ['node(s) were unschedulable'], unresolvable: true };
  }
  const taint = untoleratedTaint(effectiveTaints(node), spec.tolerations);
  if (taint)
    return { reasons: [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`], unresolvable: true };
  if (!matchesNodeSelection(spec, node))
    return { reasons: ["node(s) didn't match Pod's node affinity/selector"], unresolvable: true };
  if (!volumesFitNode(f.volumeTerms, node))
    return { reasons: ['node(s) had volume node affinity conflict'], unresolvable: true };
  if (f.ports.length && portConflict(info, f.ports)) {
    return { reasons: ["node(s) didn't have free ports for the requested pod ports"], unresolvable: false };
  }
  const reasons = insufficient(f.requests, info);
  return reasons.length ? { reasons, unresolvable: false } : undefined;
}

function insufficient(req: Resources, info: NodeInfo): string[] {
  const out: string[] = [];
  const podsAllowed = info.alloc.get('pods');
  if (podsAllowed !== undefined && info.pods + 1 > podsAllowed) out.push('Too many pods');
  const ordered = [
    'cpu',
    'memory',
    'ephemeral-storage',
    ...[...req.keys()].filter((k) => !['cpu', 'memory', 'ephemeral-storage', 'pods'].includes(k)).sort(),
  ];
  for (const name of ordered) {
    const want = req.get(name) ?? 0;
    if (want <= 0) continue;
    const alloc = info.alloc.get(name);
    // Resources a node does not report are only limited for extended resources.
    if (alloc === undefined && ['cpu', 'memory', 'ephemeral-storage'].includes(name)) continue;
    if (want > (alloc ?? 0) - (info.requested.get(name) ?? 0)) out.push(`Insufficient ${name}`);
  }
  return out;
}

/**
 * kube-scheduler's FitError text: `0/3 nodes are available: 1 node(s) had untolerated taint {…},
 * 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for
 * scheduling, 2 No preemption victims found for incoming pod..` (the double period is upstream's).
 */
/** The FitError of a PreFilter rejection: one reason for every node, and preemption cannot help. */
export function preFilterMessage(total: number, reason: string): string {
  return `0/${total} nodes are available: ${reason}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling..`;
}

export function fitErrorMessage(total: number, rejections: Rejection[]): string {
  if (total === 0) return 'no nodes available to schedule pods';
  const histogram = (items: string[]) => {
    const counts = new Map<string, number>();
    for (const r of items) counts.set(r, (counts.get(r) ?? 0) + 1);
    return [...counts]
      .map(([r, n]) => `${n} ${r}`)
      .sort()
      .join(', ');
  };
  const filterMsg = `0/${total} nodes are available: ${histogram(rejections.flatMap((r) => r.reasons))}.`;
  const preemption = histogram(
    rejections.map((r) =>
      r.unresolvable ? 'Preemption is not helpful for scheduling' : 'No preemption victims found for incoming pod',
    ),
  );
  return `${filterMsg} preemption: 0/${total} nodes are available: ${preemption}..`;
}
