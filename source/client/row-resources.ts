import type { KObject } from '../api-types/index.ts';
import { quantityValue } from './metrics.ts';

/**
 * What the usage columns (%CPU/R, %MEM/L, node %CPU …) read from an object, kept with its table
 * row instead of the object: a pod's summed container requests and limits, a node's allocatable.
 * Undefined fields: nothing declared.
 */
export interface RowResources {
  cpuRequest?: number;
  cpuLimit?: number;
  memoryRequest?: number;
  memoryLimit?: number;
  cpuAllocatable?: number;
  memoryAllocatable?: number;
}

interface ContainerLike {
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
}

/** Sum of the containers' requests or limits for a resource; undefined when none declares one. */
export function declared(
  containers: readonly ContainerLike[],
  kind: 'requests' | 'limits',
  resource: string,
): number | undefined {
  let total: number | undefined;
  for (const c of containers) {
    const v = quantityValue(c.resources?.[kind]?.[resource]);
    if (v !== undefined) total = (total ?? 0) + v;
  }
  return total;
}

/** The figures of a Pod or a Node (`kind`: the resource's kind); undefined for other kinds. */
export function rowResources(obj: KObject, kind = obj.kind): RowResources | undefined {
  if (kind === 'Pod') {
    const containers = ((obj.spec as { containers?: ContainerLike[] } | undefined)?.containers ??
      []) as ContainerLike[];
    return {
      cpuRequest: declared(containers, 'requests', 'cpu'),
      cpuLimit: declared(containers, 'limits', 'cpu'),
      memoryRequest: declared(containers, 'requests', 'memory'),
      memoryLimit: declared(containers, 'limits', 'memory'),
    };
  }
  if (kind === 'Node') {
    const alloc = (obj.status as { allocatable?: Record<string, unknown> } | undefined)?.allocatable ?? {};
    return { cpuAllocatable: quantityValue(alloc.cpu), memoryAllocatable: quantityValue(alloc.memory) };
  }
  return undefined;
}
