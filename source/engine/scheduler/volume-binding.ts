import type { NodeSelectorTerm } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../../api-types/index.ts';
import type { Store } from '../store/store.ts';
import { matchNodeSelectorTerm } from './taints.ts';

type Terms = unknown[];

/** The required node affinity of each bound PersistentVolume the pod's claims use. */
export function volumeNodeTerms(store: Store, pod: KObject): Terms[] {
  const out: Terms[] = [];
  const volumes: { persistentVolumeClaim?: { claimName?: string } }[] = Array.isArray(pod.spec?.volumes)
    ? pod.spec.volumes
    : [];
  for (const v of volumes) {
    const claimName = v?.persistentVolumeClaim?.claimName;
    if (!claimName) continue;
    const pvName = store.get('persistentvolumeclaims', pod.metadata.namespace, claimName)?.spec?.volumeName;
    const pv = pvName ? store.get('persistentvolumes', undefined, pvName) : undefined;
    const terms = pv?.spec?.nodeAffinity?.required?.nodeSelectorTerms;
    if (Array.isArray(terms)) out.push(terms);
  }
  return out;
}

/**
 * VolumeBinding's PreFilter: why no node can take the pod because of its claims (a claim missing,
 * being deleted, or unbound while its class binds Immediately), or undefined.
 */
export function claimsPreFilter(store: Store, pod: KObject): string | undefined {
  const volumes: { persistentVolumeClaim?: { claimName?: string } }[] = Array.isArray(pod.spec?.volumes)
    ? pod.spec.volumes
    : [];
  let unboundImmediate = false;
  for (const v of volumes) {
    const claimName = v?.persistentVolumeClaim?.claimName;
    if (!claimName) continue;
    const claim = store.get('persistentvolumeclaims', pod.metadata.namespace, claimName);
    if (!claim) return `persistentvolumeclaim "${claimName}" not found`;
    if (claim.metadata.deletionTimestamp) return `persistentvolumeclaim "${claimName}" is being deleted`;
    if (claim.spec?.volumeName) continue;
    const className: string = claim.spec?.storageClassName ?? '';
    const mode = className
      ? store.get('storageclasses.storage.k8s.io', undefined, className)?.volumeBindingMode
      : undefined;
    if (mode !== 'WaitForFirstConsumer') unboundImmediate = true;
  }
  return unboundImmediate ? 'pod has unbound immediate PersistentVolumeClaims' : undefined;
}

/** VolumeBinding's filter: every bound volume's node affinity admits the node. */
export function volumesFitNode(terms: Terms[] | undefined, node: KObject): boolean {
  return (terms ?? []).every((t) => t.some((term) => matchNodeSelectorTerm(term as NodeSelectorTerm, node)));
}
