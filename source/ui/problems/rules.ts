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

function deploymentProblems(d: KObject): Problem[] {
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

function statefulSetProblems(s: KObject): Problem[] {
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

function daemonSetProblems(s: KObject): Problem[] {
  const want = s.status?.desiredNumberScheduled ?? 0;
  const ready = s.status?.numberReady ?? 0;
  return ready < want
    ? [problem(s, 'daemonsets.apps', 'ds', 1, 'ReplicasNotReady', `${ready}/${want} pods ready`, ':xray ds, E events')]
    : [];
}

const PRESSURE = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];

function nodeProblems(n: KObject): Problem[] {
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

function serviceProblems(services: readonly KObject[], slices: readonly KObject[]): Problem[] {
  const ready = new Map<string, number>();
  for (const s of slices) {
    const svc = s.metadata.labels?.['kubernetes.io/service-name'];
    if (!svc) continue;
    const key = `${s.metadata.namespace}/${svc}`;
    const n = ((s.endpoints ?? []) as Array<{ conditions?: { ready?: boolean } }>).filter(
      (e) => e.conditions?.ready !== false,
    ).length;
    ready.set(key, (ready.get(key) ?? 0) + n);
  }
  return services
    .filter(
      (svc) => svc.spec?.type !== 'ExternalName' && svc.spec?.selector && Object.keys(svc.spec.selector).length > 0,
    )
    .filter((svc) => !ready.get(`${svc.metadata.namespace}/${svc.metadata.name}`))
    .map((svc) => {
      const sel = Object.entries(svc.spec.selector as Record<string, string>)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      return problem(
        svc,
        'services',
        'svc',
        2,
        'NoReadyEndpoints',
        `no ready pod matches ${sel}`,
        ":xray svc, the pods' labels",
      );
    });
}

function pvcProblems(pvc: KObject): Problem[] {
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

/** Recent Warning events, one per object and reason, about objects no other rule flagged. */
function eventProblems(events: readonly EventObject[], flagged: ReadonlySet<string>, now: number): Problem[] {
  const seen = new Map<string, Problem & { t: number }>();
  for (const e of events) {
    if (e.type !== 'Warning') continue;
    const t = eventTime(e);
    if (now - t > RECENT_EVENT_MS) continue;
    const io: ObjectReference = e.involvedObject ?? e.regarding ?? {};
    if (io.uid && flagged.has(io.uid)) continue;
    const key = `${io.uid ?? io.name}/${e.reason}`;
    const prev = seen.get(key);
    if (prev && prev.t >= t) continue;
    const count = e.series?.count ?? e.count ?? 1;
    const p = problem(
      e,
      'events',
      'event',
      1,
      e.reason ?? 'Warning',
      `${(io.kind ?? '').toLowerCase()}/${io.name ?? ''}: ${e.message ?? e.note ?? ''}${count > 1 ? ` (×${count})` : ''}`,
      'enter the event, E events of the object',
    );
    seen.set(key, { ...p, t });
  }
  return [...seen.values()].map(({ t: _t, ...p }) => p);
}

/** Every problem, most severe first, then by namespace, kind and name. */
export function findProblems(input: ProblemInput, now: number): Problem[] {
  const out: Problem[] = [];
  for (const n of input.nodes ?? []) out.push(...nodeProblems(n));
  for (const p of input.pods ?? []) out.push(...podProblems(p));
  for (const d of input.deployments ?? []) out.push(...deploymentProblems(d));
  for (const s of input.statefulsets ?? []) out.push(...statefulSetProblems(s));
  for (const s of input.daemonsets ?? []) out.push(...daemonSetProblems(s));
  out.push(...serviceProblems(input.services ?? [], input.endpointslices ?? []));
  for (const c of input.persistentvolumeclaims ?? []) out.push(...pvcProblems(c));
  const flagged = new Set(out.map((p) => p.uid));
  out.push(...eventProblems(input.events ?? [], flagged, now));
  return out.sort(
    (a, b) =>
      b.severity - a.severity ||
      (a.namespace ?? '').localeCompare(b.namespace ?? '') ||
      a.kind.localeCompare(b.kind) ||
      a.name.localeCompare(b.name) ||
      a.reason.localeCompare(b.reason),
  );
}
