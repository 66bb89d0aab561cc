import type { KObject } from '../../api-types/index.ts';

/** A pod's status word as `kubectl get pods` prints it, plus readiness and restarts. */
export interface PodSummary {
  status: string;
  ready: number;
  total: number;
  restarts: number;
}

interface ContainerStatusLike {
  name?: string;
  ready?: boolean;
  restartCount?: number;
  state?: {
    waiting?: { reason?: string; message?: string };
    running?: unknown;
    terminated?: { reason?: string; exitCode?: number; signal?: number; message?: string };
  };
  lastState?: ContainerStatusLike['state'];
}

export function containerStatuses(pod: KObject): ContainerStatusLike[] {
  return (pod.status?.containerStatuses ?? []) as ContainerStatusLike[];
}

/** The reason a container is not running: waiting reason, or terminated reason / exit code. */
export function containerReason(cs: ContainerStatusLike | undefined): string | undefined {
  if (!cs?.state) return undefined;
  if (cs.state.waiting) return cs.state.waiting.reason || 'Waiting';
  const t = cs.state.terminated;
  if (t) return t.reason || (t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode ?? 0}`);
  return undefined;
}

/** Same precedence as kubectl's printer: init containers, then containers, then deletion. */
export function podSummary(pod: KObject): PodSummary {
  const statuses = containerStatuses(pod);
  const total = (pod.spec?.containers ?? []).length || statuses.length;
  let status: string = pod.status?.reason || pod.status?.phase || 'Unknown';
  let ready = 0;
  let restarts = 0;
  let initializing = false;
  const inits = (pod.status?.initContainerStatuses ?? []) as ContainerStatusLike[];
  const initCount = (pod.spec?.initContainers ?? []).length;
  inits.forEach((cs, i) => {
    restarts += cs.restartCount ?? 0;
    if (initializing) return;
    const t = cs.state?.terminated;
    if (t && t.exitCode === 0) return;
    initializing = true;
    if (t) status = `Init:${t.reason || `ExitCode:${t.exitCode}`}`;
    else if (cs.state?.waiting?.reason && cs.state.waiting.reason !== 'PodInitializing')
      status = `Init:${cs.state.waiting.reason}`;
    else status = `Init:${i}/${initCount}`;
  });
  if (!initializing) {
    let running = false;
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts += cs.restartCount ?? 0;
      if (cs.state?.waiting?.reason) status = cs.state.waiting.reason;
      else if (cs.state?.terminated) status = containerReason(cs)!;
      else if (cs.state?.running && cs.ready) {
        running = true;
        ready++;
      } else if (cs.state?.running) running = true;
    }
    if (status === 'Completed' && running)
      status = pod.status?.conditions?.some(
        (c: { type?: string; status?: string }) => c.type === 'Ready' && c.status === 'True',
      )
        ? 'Running'
        : 'NotReady';
  } else {
    for (const cs of statuses) restarts += cs.restartCount ?? 0;
  }
  if (pod.metadata?.deletionTimestamp) status = pod.status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return { status, ready, total, restarts };
}

/** The condition of a given type, if the object has it. */
export function condition(
  obj: KObject,
  type: string,
): { type?: string; status?: string; reason?: string; message?: string } | undefined {
  return (obj.status?.conditions ?? []).find((c: { type?: string }) => c.type === type);
}
