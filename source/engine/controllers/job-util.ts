import type { KObject } from '../../api-types/index.ts';
import { rfc3339 } from '../clock.ts';
import { podFromTemplate } from './pods.ts';

/** The engine and the TUI's countdown share one back-off formula. */
export { jobBackoffMs as backoffDelay } from '../../api-types/job-backoff.ts';

/** Job helpers (upstream's job/utils, indexed_job_utils, pod_failure_policy, backoff_utils). */

export const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
export const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';
/** DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff. */

export interface JobCondition {
  type: string;
  status: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export function conditionOf(job: KObject, type: string): JobCondition | undefined {
  return (job.status?.conditions as JobCondition[] | undefined)?.find((c) => c.type === type);
}

export function isTrue(job: KObject, type: string): boolean {
  return conditionOf(job, type)?.status === 'True';
}

export function isFinished(job: KObject): boolean {
  return isTrue(job, 'Complete') || isTrue(job, 'Failed');
}

/** When a finished job finished: completionTime, else the Failed condition's transition. */
export function finishedAt(job: KObject): number {
  const t = job.status?.completionTime ?? conditionOf(job, 'Failed')?.lastTransitionTime;
  return typeof t === 'string' ? Date.parse(t) : NaN;
}

/** Set or update a condition; the transition time moves only when the status changes. */
export function setCondition(status: Record<string, unknown>, c: JobCondition, now: number): boolean {
  const list = ((status.conditions as JobCondition[] | undefined) ?? []).slice();
  const i = list.findIndex((x) => x.type === c.type);
  const ts = rfc3339(now);
  if (i >= 0) {
    const cur = list[i]!;
    if (cur.status === c.status && cur.reason === c.reason && cur.message === c.message) return false;
    list[i] = {
      ...cur,
      ...c,
      lastProbeTime: ts,
      lastTransitionTime: cur.status === c.status ? cur.lastTransitionTime : ts,
    };
  } else {
    list.push({
      type: c.type,
      status: c.status,
      lastProbeTime: ts,
      lastTransitionTime: ts,
      reason: c.reason,
      message: c.message,
    });
  }
  status.conditions = list;
  return true;
}

export function hasFinalizer(pod: KObject): boolean {
  return pod.metadata.finalizers?.includes(TRACKING_FINALIZER) ?? false;
}

export type PodOutcome = 'active' | 'terminating' | 'succeeded' | 'failed';

/**
 * Where a job's pod stands. A deleted pod is terminating until its kubelet is done with it
 * (grace period down to 0), then it counts as failed unless it had succeeded.
 */
export function podOutcome(pod: KObject): PodOutcome {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded') return 'succeeded';
  if (phase === 'Failed') return 'failed';
  if (pod.metadata.deletionTimestamp)
    return (pod.metadata.deletionGracePeriodSeconds ?? 0) > 0 ? 'terminating' : 'failed';
  return 'active';
}

export function completionIndex(pod: KObject): number | undefined {
  const v = pod.metadata.annotations?.[COMPLETION_INDEX] ?? pod.metadata.labels?.[COMPLETION_INDEX];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

/** "1,3-5,7" ↔ sorted index lists. */
export function parseIndexes(s: unknown): number[] {
  if (typeof s !== 'string' || !s) return [];
  const out: number[] = [];
  for (const part of s.split(',')) {
    const [a, b] = part.split('-');
    const from = Number(a);
    const to = b === undefined ? from : Number(b);
    for (let i = from; i <= to; i++) out.push(i);
  }
  return out;
}

export function formatIndexes(list: Iterable<number>): string {
  const sorted = [...new Set(list)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

export interface PolicyMatch {
  action: string;
  message?: string;
}

interface ContainerStatusLike {
  name: string;
  state?: { terminated?: { exitCode?: number } };
}

/** The first podFailurePolicy rule that matches a failed pod (exit codes or pod conditions). */
export function matchPodFailurePolicy(job: KObject, pod: KObject): PolicyMatch | undefined {
  const rules = job.spec?.podFailurePolicy?.rules;
  if (!Array.isArray(rules)) return undefined;
  const statuses: ContainerStatusLike[] = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
  for (const [i, rule] of rules.entries()) {
    const codes = rule?.onExitCodes;
    if (codes) {
      for (const cs of statuses) {
        if (codes.containerName && codes.containerName !== cs.name) continue;
        const code = cs.state?.terminated?.exitCode;
        if (code === undefined || code === 0) continue;
        const listed = (codes.values as number[]).includes(code);
        if (codes.operator === 'In' ? listed : !listed) {
          const where = `Container ${cs.name} for pod ${pod.metadata.namespace}/${pod.metadata.name} failed with exit code ${code}`;
          return { action: rule.action, message: `${where} matching ${rule.action} rule at index ${i}` };
        }
      }
    }
    for (const pattern of rule?.onPodConditions ?? []) {
      const c = (pod.status?.conditions ?? []).find((x: { type?: string }) => x.type === pattern.type);
      if (c && c.status === (pattern.status ?? 'True')) {
        return {
          action: rule.action,
          message: `Pod ${pod.metadata.namespace}/${pod.metadata.name} has condition ${pattern.type} matching ${rule.action} rule at index ${i}`,
        };
      }
    }
  }
  return undefined;
}

/** A pod for a job (optionally for one completion index), carrying the tracking finalizer. */
export function jobPod(job: KObject, index?: number): KObject {
  const pod = podFromTemplate(job.spec.template, job);
  pod.metadata.finalizers = [...(pod.metadata.finalizers ?? []), TRACKING_FINALIZER];
  if (index === undefined) return pod;
  const name = job.metadata.name!;
  pod.metadata.generateName = `${name}-${index}-`;
  pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [COMPLETION_INDEX]: String(index) };
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [COMPLETION_INDEX]: String(index) };
  pod.spec.hostname ??= `${name}-${index}`;
  const env = {
    name: COMPLETION_INDEX_ENV,
    valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } },
  };
  for (const c of [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])]) {
    const list: Array<{ name: string }> = c.env ?? [];
    if (!list.some((e) => e.name === COMPLETION_INDEX_ENV)) c.env = [...list, env];
  }
  return pod;
}
