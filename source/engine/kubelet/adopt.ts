import type { ContainerState, ContainerStatus } from './pod-status.ts';

export interface AdoptedState {
  restartCount: number;
  image: string;
  imageID: string;
  state: ContainerState;
  lastState: ContainerState;
  containerID?: string;
  phase: 'new' | 'exited';
}

/**
 * Where a container stands after its node came back (engine restart, `skiff node start`), from
 * the status the earlier kubelet wrote. One that was running died with the node: it comes back
 * as a restart (exit 255, reason Unknown), or stays terminated when it may not restart
 * (restartPolicy Never). One in CrashLoopBackOff restarts; a finished one stays finished.
 */
export function adoptedState(prev: ContainerStatus, now: string, canRestart: boolean): AdoptedState {
  const base = {
    restartCount: prev.restartCount ?? 0,
    image: prev.image,
    imageID: prev.imageID ?? '',
    lastState: prev.lastState ?? {},
  };
  const s = prev.state ?? {};
  if (s.terminated) return { ...base, state: s, containerID: prev.containerID, phase: 'exited' };
  const creating: ContainerState = { waiting: { reason: 'ContainerCreating' } };
  if (s.running) {
    const ended = {
      exitCode: 255,
      reason: 'Unknown',
      startedAt: s.running.startedAt,
      finishedAt: now,
      containerID: prev.containerID,
    };
    if (!canRestart) return { ...base, state: { terminated: ended }, containerID: prev.containerID, phase: 'exited' };
    return {
      ...base,
      restartCount: base.restartCount + 1,
      lastState: { terminated: ended },
      state: creating,
      phase: 'new',
    };
  }
  if (base.lastState.terminated) return { ...base, restartCount: base.restartCount + 1, state: creating, phase: 'new' };
  return { ...base, state: creating, phase: 'new' };
}
