// How the built-in types' lists and maps merge under server-side apply: upstream's
// `x-kubernetes-list-type`, `x-kubernetes-list-map-keys` and `x-kubernetes-map-type` markers
// (the +listType/+listMapKey/+structType tags of k8s.io/api). Lists not named here are atomic.

export interface ListInfo {
  type: 'set' | 'map';
  keys?: string[];
  defaults?: Record<string, unknown>;
}

const byName: ListInfo = { type: 'map', keys: ['name'] };
const containerList = byName;

/** `x-kubernetes-list-type` / `list-map-keys` of the built-in types (by Go type and field); other lists are atomic. */
export const LISTS: Record<string, ListInfo> = {
  'ObjectMeta.ownerReferences': { type: 'map', keys: ['uid'] },
  'ObjectMeta.finalizers': { type: 'set' },
  'PodSpec.containers': containerList,
  'PodSpec.initContainers': containerList,
  'PodSpec.ephemeralContainers': containerList,
  'PodSpec.volumes': byName,
  'PodSpec.imagePullSecrets': byName,
  'PodSpec.hostAliases': { type: 'map', keys: ['ip'] },
  'PodSpec.topologySpreadConstraints': { type: 'map', keys: ['topologyKey', 'whenUnsatisfiable'] },
  'PodSpec.schedulingGates': byName,
  'PodSpec.resourceClaims': byName,
  'Container.ports': { type: 'map', keys: ['containerPort', 'protocol'], defaults: { protocol: 'TCP' } },
  'Container.env': byName,
  'Container.volumeMounts': { type: 'map', keys: ['mountPath'] },
  'Container.volumeDevices': { type: 'map', keys: ['devicePath'] },
  'EphemeralContainer.ports': { type: 'map', keys: ['containerPort', 'protocol'], defaults: { protocol: 'TCP' } },
  'EphemeralContainer.env': byName,
  'EphemeralContainer.volumeMounts': { type: 'map', keys: ['mountPath'] },
  'ServiceSpec.ports': { type: 'map', keys: ['port', 'protocol'], defaults: { protocol: 'TCP' } },
  'NodeSpec.podCIDRs': { type: 'set' },
  'PodStatus.podIPs': { type: 'map', keys: ['ip'] },
  'PodStatus.hostIPs': { type: 'map', keys: ['ip'] },
};

/** Structs and maps the apiserver marks `x-kubernetes-map-type: atomic`. */
export const ATOMIC_STRUCTS = new Set([
  'LabelSelector',
  'LocalObjectReference',
  'ObjectReference',
  'TypedLocalObjectReference',
  'ConfigMapKeySelector',
  'SecretKeySelector',
  'ObjectFieldSelector',
  'ResourceFieldSelector',
  'NodeSelector',
  'NodeSelectorTerm',
  'ConfigMapEnvSource',
  'SecretEnvSource',
  'SecretReference',
  'ClusterTrustBundleProjection',
]);
export const ATOMIC_MAPS = new Set([
  'PodSpec.nodeSelector',
  'ServiceSpec.selector',
  'ReplicationControllerSpec.selector',
]);

/** The list type of `Type.field` (`PodSpec.containers`); every `conditions` list is keyed by type. */
export function listInfo(where: string, field: string): ListInfo | undefined {
  if (Object.hasOwn(LISTS, where)) return LISTS[where];
  return field === 'conditions' ? { type: 'map', keys: ['type'] } : undefined;
}
