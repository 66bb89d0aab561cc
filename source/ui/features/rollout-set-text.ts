import type { KObject } from '../../api-types/index.ts';
import { revisionOfPod, type WorkloadKind, type WorkloadRevision } from '../../client/rollout.ts';
import { podStatus, podTrouble } from './rollout-text.ts';

/** The live rollout picture of a StatefulSet or DaemonSet: revisions (ControllerRevisions) and pods by revision. */

function bar(n: number, of: number, width: number): string {
  if (of <= 0) return '·'.repeat(width);
  const filled = Math.max(0, Math.min(width, Math.round((n / of) * width)));
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

function ready(pod: KObject): boolean {
  return (pod.status?.conditions ?? []).some(
    (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
  );
}

export function renderSetRollout(
  kind: Exclude<WorkloadKind, 'Deployment'>,
  owner: KObject,
  revisions: WorkloadRevision[],
  current: WorkloadRevision | undefined,
  pods: KObject[],
  width: number,
): string[] {
  const spec = owner.spec ?? {};
  const st = owner.status ?? {};
  const revOf = (p: KObject) => revisionOfPod(kind, p, revisions);
  const owned = pods.filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === owner.metadata.uid));
  const desired = kind === 'StatefulSet' ? (spec.replicas ?? 1) : (st.desiredNumberScheduled ?? 0);
  const updated = current ? owned.filter((p) => revOf(p) === current && !p.metadata.deletionTimestamp) : [];
  const readyUpdated = updated.filter(ready).length;
  const lines: string[] = [];
  const strategy = spec.updateStrategy?.type ?? 'RollingUpdate';
  const ru = spec.updateStrategy?.rollingUpdate ?? {};
  const knobs =
    kind === 'StatefulSet'
      ? `partition ${ru.partition ?? 0}   maxUnavailable ${ru.maxUnavailable ?? 1}`
      : `maxUnavailable ${ru.maxUnavailable ?? 1}   maxSurge ${ru.maxSurge ?? 0}`;
  lines.push(`Strategy: ${strategy}${strategy === 'RollingUpdate' ? `   ${knobs}` : ''}`);
  lines.push(
    `Pods: ${desired} desired · ${updated.length} updated · ${owned.filter(ready).length} ready · ${owned.length} total`,
  );
  let state: string;
  const trouble = updated.map((p) => [p, podTrouble(p)] as const).find(([, t]) => t);
  const observed = (st.observedGeneration ?? 0) >= (owner.metadata.generation ?? 0);
  if (trouble) state = `✗ STUCK: pod ${trouble[0].metadata.name}: ${trouble[1]}`;
  else if (strategy === 'OnDelete' && updated.length < desired)
    state = `‖ WAITING: OnDelete — ${desired - updated.length} pods update when you delete them`;
  else if (observed && updated.length >= desired && readyUpdated >= desired && owned.length <= desired)
    state = `✓ COMPLETE: ${kind.toLowerCase()} "${owner.metadata.name}" rolled out`;
  else state = `⟳ ROLLING OUT: ${updated.length} of ${desired} pods updated, ${readyUpdated} ready`;
  lines.push(state);
  lines.push('');
  const barW = Math.max(6, Math.min(20, Math.floor((width - 50) / 2)));
  lines.push(`REVISION  CONTROLLERREVISION${' '.repeat(12)}IMAGE`);
  for (const r of [...revisions].reverse()) {
    const mine = owned.filter((p) => revOf(p) === r);
    const tag = r === current ? 'new' : 'old';
    lines.push(`${String(r.revision).padStart(4)} ${tag}  ${r.name.padEnd(28)} ${r.images.join(',')}`);
    if (mine.length || r === current) {
      const of = Math.max(desired, mine.length, 1);
      lines.push(
        `          pods ${bar(mine.length, of, barW)} ${mine.length}   ready ${bar(mine.filter(ready).length, of, barW)} ${mine.filter(ready).length}`,
      );
    }
  }
  if (!revisions.length) lines.push('  (no revisions yet)');
  lines.push('');
  lines.push(`PODS (${owned.length})`);
  for (const p of [...owned].sort((a, b) => String(a.metadata.name).localeCompare(String(b.metadata.name)))) {
    const r = revOf(p);
    const t = podTrouble(p);
    lines.push(
      `  ${p.metadata.name!.padEnd(36)} ${podStatus(p).padEnd(18)} ${(ready(p) ? 'ready' : 'not ready').padEnd(9)} rev ${r?.revision ?? '?'}${r === current ? ' (new)' : ''}${t ? `  ← ${t}` : ''}`,
    );
  }
  return lines;
}
