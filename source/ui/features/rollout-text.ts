import type { Container, PodCondition } from 'kubernetes-types/core/v1.d.ts';
import type { DeploymentCondition } from 'kubernetes-types/apps/v1.d.ts';
import type { KObject } from '../../api-types/index.ts';

/** A live picture of a deployment's rollout, as plain lines (pure; the doc re-renders it). */

export type RolloutPhase = 'complete' | 'progressing' | 'stuck' | 'paused';

export interface RolloutState {
  phase: RolloutPhase;
  /** Why it is stuck or what it waits for. */
  reason: string;
}

const STUCK_WAITING = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'CrashLoopBackOff',
  'CreateContainerConfigError',
  'InvalidImageName',
  'CreateContainerError',
  'RunContainerError',
]);

function scaledValue(v: unknown, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(String(v ?? ''));
  if (!m) return Number(v) || 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** maxSurge / maxUnavailable resolved against the replica count, as the controller does. */
export function rollingLimits(deploy: KObject): {
  surge: number;
  unavailable: number;
  rawSurge: string;
  rawUnavailable: string;
} {
  const replicas = deploy.spec?.replicas ?? 1;
  const ru = deploy.spec?.strategy?.rollingUpdate ?? {};
  const rawSurge = String(ru.maxSurge ?? '25%');
  const rawUnavailable = String(ru.maxUnavailable ?? '25%');
  const surge = scaledValue(rawSurge, replicas, true);
  let unavailable = scaledValue(rawUnavailable, replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable, rawSurge, rawUnavailable };
}

function revisionOf(o: KObject): number {
  return Number(o.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
}

function ownedBy(o: KObject, owner: KObject): boolean {
  return !!o.metadata.ownerReferences?.some((r) => r.uid === owner.metadata.uid);
}

/** Why a pod cannot get going, if it is one of the known dead ends. */
export function podTrouble(pod: KObject): string | undefined {
  for (const cs of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const w = cs.state?.waiting;
    if (w && STUCK_WAITING.has(w.reason)) return `${w.reason}${w.message ? `: ${w.message}` : ''}`;
  }
  const sched = (pod.status?.conditions ?? []).find(
    (c: PodCondition) => c.type === 'PodScheduled' && c.status === 'False',
  );
  if (sched?.reason === 'Unschedulable') return `Unschedulable: ${sched.message ?? ''}`.trim();
  return undefined;
}

export function podStatus(pod: KObject): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  for (const cs of pod.status?.containerStatuses ?? []) {
    if (cs.state?.waiting?.reason) return cs.state.waiting.reason;
    if (cs.state?.terminated?.reason) return cs.state.terminated.reason;
  }
  return pod.status?.reason ?? pod.status?.phase ?? 'Pending';
}

function podReady(pod: KObject): boolean {
  return (pod.status?.conditions ?? []).some((c: PodCondition) => c.type === 'Ready' && c.status === 'True');
}

export function rolloutState(deploy: KObject, newRs: KObject | undefined, pods: KObject[]): RolloutState {
  const spec = deploy.spec ?? {};
  const st = deploy.status ?? {};
  const replicas = spec.replicas ?? 1;
  if (spec.paused) return { phase: 'paused', reason: 'rollout paused' };
  const progressing = (st.conditions ?? []).find((c: DeploymentCondition) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { phase: 'stuck', reason: `ProgressDeadlineExceeded: ${progressing.message ?? ''}`.trim() };
  }
  const newPods = newRs ? pods.filter((p) => ownedBy(p, newRs)) : [];
  for (const p of newPods) {
    const trouble = podTrouble(p);
    if (trouble) return { phase: 'stuck', reason: `pod ${p.metadata.name}: ${trouble}` };
  }
  const observed = (st.observedGeneration ?? 0) >= (deploy.metadata.generation ?? 0);
  const updated = st.updatedReplicas ?? 0;
  const available = st.availableReplicas ?? 0;
  const total = st.replicas ?? 0;
  if (observed && updated >= replicas && available >= replicas && total <= replicas) {
    return { phase: 'complete', reason: `deployment "${deploy.metadata.name}" successfully rolled out` };
  }
  if (updated < replicas)
    return { phase: 'progressing', reason: `${updated} of ${replicas} new replicas have been updated` };
  if (total > updated)
    return { phase: 'progressing', reason: `${total - updated} old replicas are pending termination` };
  return { phase: 'progressing', reason: `${available} of ${updated} updated replicas are available` };
}

function bar(n: number, of: number, width: number): string {
  if (of <= 0) return '·'.repeat(width);
  const filled = Math.max(0, Math.min(width, Math.round((n / of) * width)));
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

export function renderRollout(deploy: KObject, replicaSets: KObject[], pods: KObject[], width: number): string[] {
  const spec = deploy.spec ?? {};
  const st = deploy.status ?? {};
  const replicas = spec.replicas ?? 1;
  const rsList = replicaSets.filter((rs) => ownedBy(rs, deploy)).sort((a, b) => revisionOf(b) - revisionOf(a));
  const current = revisionOf(deploy);
  const newRs = rsList.find((rs) => revisionOf(rs) === current) ?? rsList[0];
  const state = rolloutState(deploy, newRs, pods);
  const lines: string[] = [];
  const strategy = spec.strategy?.type ?? 'RollingUpdate';
  if (strategy === 'RollingUpdate') {
    const l = rollingLimits(deploy);
    lines.push(
      `Strategy: RollingUpdate   maxSurge ${l.rawSurge} (=${l.surge})   maxUnavailable ${l.rawUnavailable} (=${l.unavailable})`,
    );
    lines.push(
      `          at most ${replicas + l.surge} pods, at least ${Math.max(0, replicas - l.unavailable)} available during the rollout`,
    );
  } else lines.push(`Strategy: ${strategy}`);
  lines.push(
    `Replicas: ${replicas} desired · ${st.updatedReplicas ?? 0} updated · ${st.replicas ?? 0} total · ${st.readyReplicas ?? 0} ready · ${st.availableReplicas ?? 0} available`,
  );
  const mark =
    state.phase === 'complete'
      ? '✓ COMPLETE'
      : state.phase === 'stuck'
        ? '✗ STUCK'
        : state.phase === 'paused'
          ? '‖ PAUSED'
          : '⟳ ROLLING OUT';
  lines.push(`${mark}: ${state.reason}`);
  lines.push('');

  const barW = Math.max(6, Math.min(20, Math.floor((width - 60) / 3)));
  lines.push(`REVISION  REPLICASET${' '.repeat(Math.max(1, 30 - 10))}IMAGE`);
  for (const rs of rsList) {
    const rev = revisionOf(rs);
    const image = (rs.spec?.template?.spec?.containers ?? []).map((c: Container) => c.image).join(',');
    const desired = rs.spec?.replicas ?? 0;
    const rst = rs.status ?? {};
    const tag = rs === newRs ? 'new' : 'old';
    lines.push(`${String(rev).padStart(4)} ${tag}  ${rs.metadata.name!.padEnd(28)} ${image}`);
    // Bars compare with the deployment's size so old ReplicaSets visibly drain.
    const of = Math.max(replicas, desired, 1);
    lines.push(
      `          desired ${bar(desired, of, barW)} ${desired}   ready ${bar(rst.readyReplicas ?? 0, of, barW)} ${rst.readyReplicas ?? 0}   available ${bar(rst.availableReplicas ?? 0, of, barW)} ${rst.availableReplicas ?? 0}`,
    );
  }
  if (!rsList.length) lines.push('  (no ReplicaSets yet)');
  lines.push('');

  const rsName = (p: KObject) => rsList.find((rs) => ownedBy(p, rs));
  const owned = pods
    .filter((p) => rsName(p))
    .sort((a, b) => String(a.metadata.name).localeCompare(String(b.metadata.name)));
  lines.push(`PODS (${owned.length})`);
  for (const p of owned) {
    const rs = rsName(p)!;
    const trouble = podTrouble(p);
    const ready = podReady(p) ? 'ready' : 'not ready';
    lines.push(
      `  ${p.metadata.name!.padEnd(36)} ${podStatus(p).padEnd(18)} ${ready.padEnd(9)} rev ${revisionOf(rs)}${rs === newRs ? ' (new)' : ''}${trouble ? `  ← ${trouble}` : ''}`,
    );
  }
  return lines;
}

/** Colour hint for a line of the rollout text. */
export function rolloutLineTone(line: string): 'ok' | 'warn' | 'error' | undefined {
  if (/^✗|←|BackOff|ErrImage|Unschedulable|DeadlineExceeded/.test(line)) return 'error';
  if (/^✓/.test(line)) return 'ok';
  if (/^⟳|Terminating|Pending|ContainerCreating|not ready/.test(line)) return 'warn';
  return undefined;
}
