import type { LogInstance } from '../../runtime/index.ts';
import type { Container, EphemeralContainer } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../../../api-types/index.ts';
import { errors } from '../../store/errors.ts';
import type { ContainerStatus } from '../pod-status.ts';

const DEFAULT_CONTAINER = 'kubectl.kubernetes.io/default-container';

/**
 * The container a log/exec request is for: the one named (400 if the pod has none of that
 * name), else the default-container annotation's, else the only one.
 */
export function pickContainer(pod: KObject, requested: string | null | undefined): string {
  const app: string[] = (pod.spec?.containers ?? []).map((c: Container) => c.name);
  const init: string[] = (pod.spec?.initContainers ?? []).map((c: Container) => c.name);
  const ephemeral: string[] = (pod.spec?.ephemeralContainers ?? []).map((c: EphemeralContainer) => c.name);
  const name = pod.metadata.name;
  if (requested) {
    if (![...app, ...init, ...ephemeral].includes(requested))
      throw errors.badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER];
  if (annotated && app.includes(annotated)) return annotated;
  if (app.length === 1) return app[0]!;
  const initPart = init.length ? ` or one of the init containers: [${init.join(' ')}]` : '';
  const ephemeralPart = ephemeral.length ? ` or one of the ephemeral containers: [${ephemeral.join(' ')}]` : '';
  throw errors.badRequest(
    `a container name must be specified for pod ${name}, choose one of: [${app.join(' ')}]${initPart}${ephemeralPart}`,
  );
}

/** A container's status entry from the stored pod. */
export function storedStatus(pod: KObject, container: string): ContainerStatus | undefined {
  const s = pod.status ?? {};
  return [
    ...(s.containerStatuses ?? []),
    ...(s.initContainerStatuses ?? []),
    ...(s.ephemeralContainerStatuses ?? []),
  ].find((c: { name?: string }) => c?.name === container);
}

/**
 * Which log a request reads, like the kubelet's validateContainerLogStatus: the runtime's latest
 * instance, the one before it, or — while the container waits to restart — the instance that
 * ended last (its lastState). Waiting containers with no ended instance have no log: 400.
 */
export function logInstance(
  pod: KObject,
  container: string,
  status: ContainerStatus | undefined,
  previous: boolean,
): { instance: LogInstance } {
  const where = `container "${container}" in pod "${pod.metadata.name}"`;
  if (!status) throw errors.badRequest(`${where} is waiting to start: ContainerCreating`);
  const { waiting, running, terminated } = status.state ?? {};
  const last = status.lastState?.terminated;
  const current = !!(running || terminated);
  if (previous) {
    if (!last) throw errors.badRequest(`previous terminated ${where} not found`);
    return { instance: current ? 'previous' : 'lastEnded' };
  }
  if (current) return { instance: 'latest' };
  if (last) return { instance: 'lastEnded' };
  switch (waiting?.reason) {
    case 'ErrImagePull':
      throw errors.badRequest(`${where} is waiting to start: image can't be pulled`);
    case 'ImagePullBackOff':
      throw errors.badRequest(`${where} is waiting to start: trying and failing to pull image`);
    case undefined:
      throw errors.badRequest(`${where} is waiting to start - no logs yet`);
    default:
      throw errors.badRequest(`${where} is waiting to start: ${waiting!.reason}`);
  }
}
