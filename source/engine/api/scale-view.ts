import type { KObject } from '../../api-types/index.ts';
import { readPath } from '../apiextensions/custom-def.ts';
import type { ResourceDef } from '../resources/types.ts';
import { labelSelectorString } from '../../api-types/label-selector.ts';

export type ScalePaths = NonNullable<ResourceDef['scale']>;
export const BUILTIN_SCALE: ScalePaths = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' };

export function writePath(obj: KObject, path: string, value: unknown): void {
  const parts = path.replace(/^\./, '').split('.');
  let cur: Record<string, unknown> = obj;
  for (const p of parts.slice(0, -1)) {
    if (!cur[p] || typeof cur[p] !== 'object') cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
}

export function toScale(o: KObject, paths?: ScalePaths): unknown {
  if (paths) {
    const replicas = readPath(o, paths.specReplicasPath);
    const statusReplicas = readPath(o, paths.statusReplicasPath);
    const selector = paths.labelSelectorPath ? readPath(o, paths.labelSelectorPath) : undefined;
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: o.metadata.name,
        namespace: o.metadata.namespace,
        uid: o.metadata.uid,
        resourceVersion: o.metadata.resourceVersion,
        creationTimestamp: o.metadata.creationTimestamp,
      },
      spec: { replicas: typeof replicas === 'number' ? replicas : 0 },
      status: {
        replicas: typeof statusReplicas === 'number' ? statusReplicas : 0,
        ...(typeof selector === 'string' ? { selector } : {}),
      },
    };
  }
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: o.metadata.name,
      namespace: o.metadata.namespace,
      uid: o.metadata.uid,
      resourceVersion: o.metadata.resourceVersion,
      creationTimestamp: o.metadata.creationTimestamp,
    },
    spec: { replicas: o.spec?.replicas ?? 0 },
    status: { replicas: o.status?.replicas ?? 0, selector: labelSelectorString(o.spec?.selector) ?? '' },
  };
}
