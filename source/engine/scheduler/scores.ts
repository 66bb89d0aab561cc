import type { PreferredSchedulingTerm } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../../api-types/index.ts';
import type { NodeInfo } from './node-info.ts';
import { matchNodeSelectorTerm, tolerated, type Taint } from './taints.ts';

const MAX = 100;

/** Score feasible nodes (kube-scheduler's default weights) and pick the best one. */
export function pickNode(
  pod: KObject,
  nonZero: { cpu: number; memory: number },
  owner: string | undefined,
  nodes: NodeInfo[],
): NodeInfo {
  if (nodes.length === 1) return nodes[0]!;
  const total = new Map<NodeInfo, number>(nodes.map((n) => [n, 0]));
  const add = (weight: number, scores: Map<NodeInfo, number>) => {
    for (const [n, s] of scores) total.set(n, total.get(n)! + weight * s);
  };
  add(1, new Map(nodes.map((n) => [n, leastAllocated(n, nonZero)])));
  add(1, new Map(nodes.map((n) => [n, balanced(n, nonZero)])));
  if (owner) add(2, spread(nodes, owner));
  add(3, taintScores(pod, nodes));
  add(2, affinityScores(pod, nodes));
  let best = nodes[0]!;
  for (const n of nodes) {
    const d = total.get(n)! - total.get(best)!;
    // Ties (upstream picks at random) go to the emptier node, then by name, to stay predictable.
    if (d > 0 || (d === 0 && (n.pods < best.pods || (n.pods === best.pods && n.name < best.name)))) best = n;
  }
  return best;
}

function fraction(n: NodeInfo, resource: 'cpu' | 'memory', add: number): number {
  const alloc = n.alloc.get(resource);
  if (!alloc) return 1;
  return Math.min(1, (n.nonZero[resource] + add) / alloc);
}

/** (allocatable − requested) × 100 / allocatable, averaged over cpu and memory. */
export function leastAllocated(n: NodeInfo, pod: { cpu: number; memory: number }): number {
  const one = (r: 'cpu' | 'memory') => {
    const alloc = n.alloc.get(r);
    if (!alloc) return 0;
    const used = n.nonZero[r] + pod[r];
    return used > alloc ? 0 : Math.floor(((alloc - used) * MAX) / alloc);
  };
  return Math.floor((one('cpu') + one('memory')) / 2);
}

function balanced(n: NodeInfo, pod: { cpu: number; memory: number }): number {
  const std = Math.abs(fraction(n, 'cpu', pod.cpu) - fraction(n, 'memory', pod.memory)) / 2;
  return Math.floor((1 - std) * MAX);
}

/** Fewer pods of the same owner on a node scores higher (PodTopologySpread's system default). */
function spread(nodes: NodeInfo[], owner: string): Map<NodeInfo, number> {
  const counts = nodes.map((n) => n.ownerCount(owner));
  const max = Math.max(...counts);
  const min = Math.min(...counts);
  return new Map(nodes.map((n, i) => [n, max === 0 ? MAX : Math.floor((MAX * (max + min - counts[i]!)) / max)]));
}

function taintScores(pod: KObject, nodes: NodeInfo[]): Map<NodeInfo, number> {
  const counts = nodes.map(
    (n) =>
      (n.node!.spec?.taints ?? []).filter(
        (t: Taint) => t.effect === 'PreferNoSchedule' && !tolerated(pod.spec?.tolerations, t),
      ).length,
  );
  const max = Math.max(...counts);
  return new Map(nodes.map((n, i) => [n, max === 0 ? MAX : Math.floor((MAX * (max - counts[i]!)) / max)]));
}

function affinityScores(pod: KObject, nodes: NodeInfo[]): Map<NodeInfo, number> {
  const prefs = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  const raw = nodes.map((n) =>
    prefs.reduce(
      (s: number, p: PreferredSchedulingTerm | undefined) =>
        s + (matchNodeSelectorTerm(p?.preference, n.node!) ? (p?.weight ?? 0) : 0),
      0,
    ),
  );
  const max = Math.max(...raw);
  return new Map(nodes.map((n, i) => [n, max === 0 ? 0 : Math.floor((MAX * raw[i]!) / max)]));
}
