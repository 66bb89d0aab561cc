import type { KObject } from './index.ts';

/** The annotation naming the container kubectl logs/exec use when none is given. */
export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/** The names of a pod's containers, or of a workload's pod template containers. */
export function containerNames(obj: KObject): string[] {
  const spec: unknown = obj.kind === 'Pod' ? obj.spec : obj.spec?.template?.spec;
  const containers = (spec as { containers?: unknown } | undefined)?.containers;
  if (!Array.isArray(containers)) return [];
  return containers.map((c: { name?: unknown }) => c?.name).filter((n): n is string => typeof n === 'string');
}

/** The container kubectl picks: the default-container annotation, else the first container. */
export function defaultContainer(obj: KObject): string | undefined {
  return obj.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION] ?? containerNames(obj)[0];
}

export interface ContainerChoice {
  name: string;
  kind: 'container' | 'init' | 'ephemeral';
}

/** Every container one can read logs of or exec into: init, regular, then ephemeral (kubectl debug) ones. */
export function allContainers(obj: KObject): ContainerChoice[] {
  const spec: unknown = obj.kind === 'Pod' ? obj.spec : obj.spec?.template?.spec;
  const list = (field: string, kind: ContainerChoice['kind']): ContainerChoice[] => {
    const items = (spec as Record<string, unknown> | undefined)?.[field];
    if (!Array.isArray(items)) return [];
    return items
      .map((c: { name?: unknown }) => c?.name)
      .filter((n): n is string => typeof n === 'string')
      .map((name) => ({ name, kind }));
  };
  return [
    ...list('initContainers', 'init'),
    ...list('containers', 'container'),
    ...list('ephemeralContainers', 'ephemeral'),
  ];
}

/** How a container is offered in a picker: `name`, `name (init)`, `name (ephemeral)`. */
export function containerLabel(c: ContainerChoice): string {
  return c.kind === 'container' ? c.name : `${c.name} (${c.kind})`;
}
