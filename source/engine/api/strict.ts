import type { KObject } from '../../api-types/index.ts';
import type { ResourceDef } from '../resources/types.ts';

const META = new Set([
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
]);

const TOP: Record<string, string[]> = {
  Pod: ['spec', 'status'],
  Service: ['spec', 'status'],
  Namespace: ['spec', 'status'],
  Node: ['spec', 'status'],
  Deployment: ['spec', 'status'],
  ReplicaSet: ['spec', 'status'],
  DaemonSet: ['spec', 'status'],
  ConfigMap: ['data', 'binaryData', 'immutable'],
  Secret: ['data', 'stringData', 'type', 'immutable'],
  ServiceAccount: ['secrets', 'imagePullSecrets', 'automountServiceAccountToken'],
  Endpoints: ['subsets'],
  EndpointSlice: ['addressType', 'endpoints', 'ports'],
  Lease: ['spec'],
  Event: [
    'involvedObject', 'reason', 'message', 'source', 'firstTimestamp', 'lastTimestamp', 'count', 'type', 'eventTime',
    'series', 'action', 'related', 'reportingComponent', 'reportingInstance',
  ],
};

/** Unknown field paths for fieldValidation=Strict (top level and metadata). */
export function strictErrors(def: ResourceDef, obj: KObject): string[] {
  const allowed = new Set(['apiVersion', 'kind', 'metadata', ...(TOP[def.kind] ?? [])]);
  const out: string[] = [];
  if (TOP[def.kind]) for (const k of Object.keys(obj)) if (!allowed.has(k)) out.push(k);
  for (const k of Object.keys(obj.metadata ?? {})) if (!META.has(k)) out.push(`metadata.${k}`);
  return out;
}
