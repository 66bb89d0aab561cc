import { rfc3339 } from '../clock.ts';

/** A container's state as the API shows it: exactly one of waiting, running, terminated (or none). */
export interface ContainerState {
  waiting?: { reason: string; message?: string };
  running?: { startedAt: string };
  terminated?: {
    exitCode: number;
    signal?: number;
    reason: string;
    message?: string;
    startedAt?: string;
    finishedAt: string;
    containerID?: string;
  };
}

/** One entry of `containerStatuses` / `initContainerStatuses`. */
export interface ContainerStatus {
  name: string;
  state: ContainerState;
  lastState: ContainerState;
  ready: boolean;
  started: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  containerID?: string;
}

/** What the pod worker knows, from which the status is computed. */
export interface PodView {
  hostIP: string;
  podIP?: string;
  startTime: string;
  restartPolicy: string;
  init: ContainerStatus[];
  app: ContainerStatus[];
  ephemeral?: ContainerStatus[];
  /** `spec.readinessGates` condition types: Ready also waits for each to be True. */
  readinessGates?: string[];
  /** Every init container has completed. */
  initialized: boolean;
  /** The pod sandbox (its IP) exists. */
  sandboxReady: boolean;
  /** Set when the kubelet decided the phase itself (e.g. an init container failed, restartPolicy Never). */
  phase?: 'Failed' | 'Succeeded';
  reason?: string;
  message?: string;
}

const TERMINAL = new Set(['Succeeded', 'Failed']);

/** The kubelet's getPhase: from how many containers wait, run, or stopped (and succeeded). */
export function podPhase(view: PodView, prevPhase?: string): string {
  if (prevPhase && TERMINAL.has(prevPhase)) return prevPhase;
  if (view.phase) return view.phase;
  if (!view.initialized) {
    const failed = view.init.some((c) => c.state.terminated && c.state.terminated.exitCode !== 0);
    return failed && view.restartPolicy === 'Never' ? 'Failed' : 'Pending';
  }
  let waiting = 0;
  let running = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of view.app) {
    if (c.state.running) running++;
    else if (c.state.terminated) {
      stopped++;
      if (c.state.terminated.exitCode === 0) succeeded++;
    } else if (c.lastState.terminated) stopped++;
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped === 0) return 'Pending';
  if (view.restartPolicy === 'Always') return 'Running';
  if (stopped === succeeded) return 'Succeeded';
  if (view.restartPolicy === 'Never') return 'Failed';
  return 'Running';
}

/** A pod status document: the fields computed here typed, the rest (qosClass, …) kept as stored. */
export interface PodStatusDoc {
  phase?: string;
  conditions?: StoredCondition[];
  startTime?: string;
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
  ephemeralContainerStatuses?: ContainerStatus[];
  [field: string]: unknown;
}

/** What buildPodStatus returns: a PodStatusDoc whose own fields are always set. */
export type BuiltPodStatus = PodStatusDoc & {
  phase: string;
  conditions: StoredCondition[];
  containerStatuses: ContainerStatus[];
};

/** A condition as stored: whatever its writer set. */
export interface StoredCondition {
  type?: string;
  status?: string;
  lastTransitionTime?: string;
}

interface Condition {
  type: string;
  status: 'True' | 'False';
  reason?: string;
  message?: string;
  lastProbeTime: null;
  lastTransitionTime: string;
}

const OWN = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady'];

/**
 * The pod status a kubelet would write for this view. Conditions keep their
 * lastTransitionTime while their status does not change; PodScheduled and conditions other
 * components own are kept, and so are status fields the kubelet does not manage (qosClass).
 */
export function buildPodStatus(prev: PodStatusDoc | undefined, view: PodView, now: number): BuiltPodStatus {
  prev = prev ?? {};
  const phase = podPhase(view, prev.phase);
  const terminal = TERMINAL.has(phase);
  const ts = rfc3339(now);
  const prevConds: Array<StoredCondition | null | undefined> = Array.isArray(prev.conditions) ? prev.conditions : [];
  const cond = (type: string, ok: boolean, reason?: string, message?: string): Condition => {
    const old = prevConds.find((c) => c?.type === type);
    const status = ok ? 'True' : 'False';
    const c: Condition = {
      type,
      status,
      lastProbeTime: null,
      lastTransitionTime: old?.status === status && old.lastTransitionTime ? old.lastTransitionTime : ts,
    };
    if (reason) c.reason = reason;
    if (message) c.message = message;
    return c;
  };
  const incomplete = view.init
    .filter((c) => !(c.state.terminated && c.state.terminated.exitCode === 0))
    .map((c) => c.name);
  const unready = view.app.filter((c) => !c.ready).map((c) => c.name);
  const allReady = unready.length === 0 && !terminal;
  const readyReason = terminal ? 'PodCompleted' : allReady ? undefined : 'ContainersNotReady';
  const readyMessage = terminal || allReady ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  const gates = allReady ? unmetReadinessGates(view.readinessGates, prevConds) : [];
  const conditions: StoredCondition[] = [
    cond('PodReadyToStartContainers', view.sandboxReady && !terminal),
    view.initialized
      ? cond('Initialized', true)
      : cond(
          'Initialized',
          false,
          'ContainersNotInitialized',
          `containers with incomplete status: [${incomplete.join(' ')}]`,
        ),
    gates.length
      ? cond('Ready', false, 'ReadinessGatesNotReady', gates.join(', '))
      : cond('Ready', allReady, readyReason, readyMessage),
    cond('ContainersReady', allReady, readyReason, readyMessage),
  ];
  const scheduled = prevConds.find((c) => c?.type === 'PodScheduled');
  conditions.push(scheduled ?? cond('PodScheduled', true));
  for (const c of prevConds) if (c && !OWN.includes(c.type ?? '') && c.type !== 'PodScheduled') conditions.push(c);

  const status: PodStatusDoc = {
    ...prev,
    phase,
    conditions,
    hostIP: view.hostIP,
    hostIPs: [{ ip: view.hostIP }],
    startTime: prev.startTime ?? view.startTime,
  };
  if (view.podIP) {
    status.podIP = view.podIP;
    status.podIPs = [{ ip: view.podIP }];
  }
  if (view.init.length) status.initContainerStatuses = view.init.map(statusEntry);
  else delete status.initContainerStatuses;
  status.containerStatuses = view.app.map(statusEntry);
  if (view.ephemeral?.length) status.ephemeralContainerStatuses = view.ephemeral.map(statusEntry);
  else delete status.ephemeralContainerStatuses;
  if (view.reason) status.reason = view.reason;
  if (view.message) status.message = view.message;
  return status as BuiltPodStatus;
}

function statusEntry(c: ContainerStatus): ContainerStatus {
  const out: ContainerStatus = {
    image: c.image,
    imageID: c.imageID,
    lastState: c.lastState,
    name: c.name,
    ready: c.ready,
    restartCount: c.restartCount,
    started: c.started,
    state: c.state,
  };
  if (c.containerID) out.containerID = c.containerID;
  return out;
}

/** Why readiness gates hold a pod back (upstream's GeneratePodReadyCondition), one message per gate. */
function unmetReadinessGates(
  gates: string[] | undefined,
  conditions: Array<{ type?: string; status?: string } | null | undefined>,
): string[] {
  const out: string[] = [];
  for (const type of gates ?? []) {
    const c = conditions.find((x) => x?.type === type);
    if (!c) out.push(`corresponding condition of pod readiness gate "${type}" does not exist.`);
    else if (c.status !== 'True') out.push(`the status of pod readiness gate "${type}" is not "True", but ${c.status}`);
  }
  return out;
}
