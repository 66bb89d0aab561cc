import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1.d.ts';
import { KubeError } from './errors.ts';
import { streamLogs, type LogOptions, type LogStream } from './logs.ts';
import type { Transport } from './transport.ts';

export interface FollowHooks {
  /** A new instance of the container started and its log is being streamed (restart count). */
  onRestart?(restartCount: number): void;
  /** How often to look at the pod while waiting for a restart (default 2 s). */
  pollMs?: number;
}

/** Every status list a container may be in: containers, init containers, ephemeral containers. */
export function containerStatus(pod: Pod, container: string | undefined): ContainerStatus | undefined {
  const all = [
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.ephemeralContainerStatuses ?? []),
  ];
  return container ? all.find((s) => s.name === container) : pod.status?.containerStatuses?.[0];
}

/** Which instance of the container the server's log would be of: the running or last terminated one. */
function instanceOf(s: ContainerStatus | undefined): string | undefined {
  if (!s) return undefined;
  if (s.state?.running) return s.containerID ?? `#${s.restartCount}`;
  if (s.state?.terminated) return s.state.terminated.containerID ?? s.containerID ?? `#${s.restartCount}`;
  return s.lastState?.terminated?.containerID ?? `#${s.restartCount - 1}`;
}

function willRestart(pod: Pod, s: ContainerStatus | undefined): boolean {
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed' || pod.metadata?.deletionTimestamp)
    return false;
  const policy = pod.spec?.restartPolicy ?? 'Always';
  const exit = s?.state?.terminated?.exitCode;
  return policy === 'Always' || (policy === 'OnFailure' && exit !== 0);
}

/**
 * `kubectl logs -f` that survives restarts: when the container's stream ends because the
 * container exited and the pod will start it again (a crash loop), wait for the next instance and
 * stream its log from the start, instead of going silent. Ends when the pod is gone or finished.
 */
export function followLogs(
  t: Transport,
  opts: LogOptions,
  onLine: (line: string) => void,
  hooks: FollowHooks = {},
): LogStream {
  let stopped = false;
  let current: LogStream | undefined;
  let wake: (() => void) | undefined;
  const pollMs = hooks.pollMs ?? 2_000;
  const podPath = `/api/v1/namespaces/${encodeURIComponent(opts.namespace)}/pods/${encodeURIComponent(opts.pod)}`;
  const getPod = async (): Promise<Pod | undefined> => {
    try {
      return await t.json<Pod>({ path: podPath });
    } catch (err) {
      if (err instanceof KubeError && err.code === 404) return undefined;
      throw err;
    }
  };
  const sleep = () => new Promise<void>((r) => ((wake = r), setTimeout(r, pollMs)));

  const done = (async () => {
    let streamed: string | undefined;
    let first = true;
    for (;;) {
      if (stopped) return;
      const pod = first ? undefined : await getPod();
      if (!first) {
        if (!pod) return;
        const s = containerStatus(pod, opts.container);
        const inst = instanceOf(s);
        // An instance that ran and ended between two looks (a short crash loop, or status writes
        // coalesced under load) shows only as lastState while the next one waits: stream it too,
        // since the log of a waiting container is its last terminated instance's.
        const started = !!(s?.state?.running || s?.state?.terminated || s?.lastState?.terminated);
        if (!started || inst === streamed) {
          // The same instance may still show as running for a moment after it exited: keep looking.
          if (!willRestart(pod, s)) return;
          await sleep();
          continue;
        }
        streamed = inst;
        hooks.onRestart?.(s?.restartCount ?? 0);
      } else {
        const p = await getPod().catch(() => undefined);
        streamed = p ? instanceOf(containerStatus(p, opts.container)) : undefined;
      }
      // After a restart the new instance's log is short and all of it is new: no tail, no since.
      current = streamLogs(t, first ? opts : { ...opts, tailLines: undefined, sinceSeconds: undefined }, onLine);
      first = false;
      if (stopped) current.stop();
      await current.done;
      if (!opts.follow) return;
    }
  })();
  return {
    done,
    stop: () => {
      stopped = true;
      current?.stop();
      wake?.();
    },
  };
}
