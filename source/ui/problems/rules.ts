import type { ObjectReference } from 'kubernetes-types/core/v1.d.ts';
import type { EventObject } from '../../api-types/event.ts';
import type { KObject } from '../../api-types/index.ts';
import { condition, containerReason, containerStatuses, podSummary } from '../xray/pod-status.ts';

/** Everything the rules look at, as the caches hold it. */
export interface ProblemInput {
  pods?: readonly KObject[];
  deployments?: readonly KObject[];
  statefulsets?: readonly KObject[];
  daemonsets?: readonly KObject[];
  nodes?: readonly KObject[];
  services?: readonly KObject[];
  endpointslices?: readonly KObject[];
  persistentvolumeclaims?: readonly KObject[];
  events?: readonly KObject[];
}

export const PROBLEM_RESOURCES: Record<keyof ProblemInput, string> = {
  pods: 'pods',
  deployments: 'deployments.apps',
  statefulsets: 'statefulsets.apps',
  daemonsets: 'daemonsets.apps',
  nodes: 'nodes',
  services: 'services',
  endpointslices: 'endpointslices.discovery.k8s.io',
  persistentvolumeclaims: 'persistentvolumeclaims',
  events: 'events',
};

/** 3 critical (down, or about to be), 2 error (not working), 1 warning (degraded or noisy). */
export type Severity = 1 | 2 | 3;
export const SEVERITY_NAMES: Record<Severity, string> = { 3: 'Critical', 2: 'Error', 1: 'Warning' };

export interface Problem {
  severity: Severity;
  /** Resource id of the object to jump to. */
  resource: string;
  kind: string;
  namespace?: string;
  name: string;
  uid: string;
  /** One word: CrashLoopBackOff, Unschedulable, NotReady, … */
  reason: string;
  message: string;
  /** Where to look next: `l logs (p: previous)`, `d describe: events`. */
  look: string;
  object: KObject;
}

/** Warning events older than this are history, not a current problem. */
export const RECENT_EVENT_MS = 15 * 60_000;

const IMAGE = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull']);
const STARTING = new Set(['ContainerCreating', 'PodInitializing']);

function problem(
  obj: KObject,
  resource: string,
  kind: string,
  severity: Severity,
  reason: string,
  message: string,
  look: string,
): Problem {
  return {
    severity,
    resource,
    kind,
    namespace: obj.metadata.namespace,
    name: obj.metadata.name ?? '',
    uid: obj.metadata.uid ?? `${obj.metadata.namespace}/${obj.metadata.name}`,
    reason,
    message: message.replace(/\s+/g, ' ').trim(),
    look,
    object: obj,
  };
}

export function podProblems(pod: KObject): Problem[] {
  const pr = (sev: Severity, reason: string, message: string, look: string) =>
    problem(pod, 'pods', 'pod', sev, reason, message, look);
  if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Succeeded') return [];
  const all = [
    ...((pod.status?.initContainerStatuses ?? []) as ReturnType<typeof containerStatuses>),
    ...containerStatuses(pod),
  ];
  for (const cs of all) {
    const waiting = cs.state?.waiting;
    if (waiting?.reason === 'CrashLoopBackOff') {
      const last = cs.lastState?.terminated;
      const exit = last ? `last exit ${last.reason ?? ''} code ${last.exitCode ?? '?'}` : '';
      return [
        pr(
          3,
          'CrashLoopBackOff',
          `container ${cs.name} restarted ${cs.restartCount ?? 0} times; ${exit}`,
          'l logs, p previous logs',
        ),
      ];
    }
    if (waiting?.reason && IMAGE.has(waiting.reason)) {
      return [
        pr(
          2,
          waiting.reason,
          `container ${cs.name}: ${waiting.message ?? 'image cannot be pulled'}`,
          'd describe: image and events',
        ),
      ];
    }
    if (waiting?.reason && !STARTING.has(waiting.reason)) {
      return [
        pr(2, waiting.reason, `container ${cs.name}: ${waiting.message ?? waiting.reason}`, 'd describe: events'),
      ];
    }
  }
  if (pod.status?.phase === 'Failed') {
    return [pr(2, pod.status?.reason || 'Failed', pod.status?.message || 'pod failed', 'l logs, d describe')];
  }
  const scheduled = condition(pod, 'PodScheduled');
  if (pod.status?.phase === 'Pending' && scheduled?.status === 'False') {
    return [
      pr(2, scheduled.reason || 'Unschedulable', scheduled.message || 'not scheduled', 'd describe: scheduler events'),
    ];
  }
  const ready = condition(pod, 'Ready');
  if (pod.status?.phase === 'Running' && ready?.status === 'False') {
    const s = podSummary(pod);
    const notReady = containerStatuses(pod)
      .filter((cs) => !cs.ready)
      .map((cs) => `${cs.name}${containerReason(cs) ? ` (${containerReason(cs)})` : ''}`);
    return [
      pr(
        1,
        'NotReady',
        `${s.ready}/${s.total} containers ready${notReady.length ? `: ${notReady.join(', ')}` : ''}`,
        'd describe: readiness probe',
      ),
    ];
  }
  return [];
}

export function deploymentProblems(d: KObject): Problem[] {
  const progressing = condition(d, 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return [
      problem(
        d,
        'deployments.apps',
        'deploy',
        2,
        'ProgressDeadlineExceeded',
        progressing.message ?? 'rollout stuck',
        'o rollout, E events',
      ),
    ];
  }
  const want = d.spec?.replicas ?? 1;
  const available = d.status?.availableReplicas ?? 0;
  if (available < want) {
    return [
      problem(
        d,
        'deployments.apps',
        'deploy',
        1,
        'ReplicasNotReady',
        `${available}/${want} replicas available`,
        'o rollout, :xray deploy',
      ),
    ];
  }
  return [];
}

export function statefulSetProblems(s: KObject): Problem[] {
  const want = s.spec?.replicas ?? 1;
  const ready = s.status?.readyReplicas ?? 0;
  return ready < want
    ? [
        problem(
          s,
          'statefulsets.apps',
          'sts',
          1,
          'ReplicasNotReady',
          `${ready}/${want} replicas ready`,
          ':xray sts, E events',
        ),
      ]
    : [];
}

export function daemonSetProblems(s: KObject): Problem[] {
  const want = s.status?.desiredNumberScheduled ?? 0;
  const ready = s.status?.numberReady ?? 0;
  return ready < want
    ? [problem(s, 'daemonsets.apps', 'ds', 1, 'ReplicasNotReady', `${ready}/${want} pods ready`, ':xray ds, E events')]
    : [];
}

const PRESSURE = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];

export function nodeProblems(n: KObject): Problem[] {
  const ready = condition(n, 'Ready');
  if (ready?.status !== 'True') {
    return [
      problem(
        n,
        'nodes',
        'node',
        3,
        'NotReady',
        ready?.message || ready?.reason || 'node is not ready',
        'd describe: conditions',
      ),
    ];
  }
  return PRESSURE.filter((t) => condition(n, t)?.status === 'True').map((t) =>
    problem(n, 'nodes', 'node', 2, t, condition(n, t)?.message || t, 'd describe: conditions'),
  );
}

/** A slice's ready endpoints and the `namespace/name` of its Service; undefined for a slice of none. */
export function sliceReady(slice: KObject): { service: string; ready: number } | undefined {
  const svc = slice.metadata.labels?.['kubernetes.io/service-name'];
  if (!svc) return undefined;
  const ready = ((slice.endpoints ?? []) as Array<{ conditions?: { ready?: boolean } }>).filter(
    (e) => e.conditions?.ready !== false,
  ).length;
  return { service: `${slice.metadata.namespace}/${svc}`, ready };
}

/** A Service with a selector whose slices hold `ready` ready endpoints in all. */
export function serviceProblems(svc: KObject, ready: number): Problem[] {
  if (svc.spec?.type === 'ExternalName' || !svc.spec?.selector || Object.keys(svc.spec.selector).length === 0)
    return [];
  if (ready) return [];
  const sel = Object.entries(svc.spec.selector as Record<string, string>)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return [
    problem(
      svc,
      'services',
      'svc',
      2,
      'NoReadyEndpoints',
      `no ready pod matches ${sel}`,
      ":xray svc, the pods' labels",
    ),
  ];
}

export function pvcProblems(pvc: KObject): Problem[] {
  if (pvc.status?.phase === 'Pending')
    return [
      problem(
        pvc,
        'persistentvolumeclaims',
        'pvc',
        1,
        'Pending',
        `claim not bound${pvc.spec?.storageClassName ? ` (class ${pvc.spec.storageClassName})` : ''}`,
        'd describe: events',
      ),
    ];
  if (pvc.status?.phase === 'Lost')
    return [problem(pvc, 'persistentvolumeclaims', 'pvc', 2, 'Lost', 'the bound volume is gone', 'd describe')];
  return [];
}

/** When an event last happened (series, lastTimestamp, eventTime, creation). */
export function eventTime(e: EventObject): number {
  const t =
    e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp;
  return t ? Date.parse(t) : 0;
}

/**
 * What the events rule needs of a Warning event: its group (one problem per object and reason),
 * the uid of the object it is about (no problem when another rule flags that object) and when it
 * last happened. Undefined for other events.
 */
export function warningEvent(e: EventObject): { group: string; about?: string; t: number } | undefined {
  if (e.type !== 'Warning') return undefined;
  const io: ObjectReference = e.involvedObject ?? e.regarding ?? {};
  return { group: `${io.uid ?? io.name}/${e.reason}`, about: io.uid || undefined, t: eventTime(e) };
}

export function eventProblem(e: EventObject): Problem {
  const io: ObjectReference = e.involvedObject ?? e.regarding ?? {};
  const count = e.series?.count ?? e.count ?? 1;
  return problem(
    e,
    'events',
    'event',
    1,
    e.reason ?? 'Warning',
    `${(io.kind ?? '').toLowerCase()}/${io.name ?? ''}: ${e.message ?? e.note ?? ''}${count > 1 ? ` (×${count})` : ''}`,
    'enter the event, E events of the object',
  );
}

// localeCompare's order, without its per-call cost.
const collator = new Intl.Collator();

/** Most severe first, then by namespace, kind, name and reason. */
export function compareProblems(a: Problem, b: Problem): number {
  return (
    b.severity - a.severity ||
    collator.compare(a.namespace ?? '', b.namespace ?? '') ||
    collator.compare(a.kind, b.kind) ||
    collator.compare(a.name, b.name) ||
    collator.compare(a.reason, b.reason)
  );
}
