import type { KObject, OwnerReference } from '../../api-types/index.ts';
import type { PersistentVolumeClaim, Volume } from 'kubernetes-types/core/v1.d.ts';
import type { Store } from '../store/store.ts';

const PVCS = 'persistentvolumeclaims';

type ClaimTemplate = PersistentVolumeClaim & { metadata: { name: string } };

export function claimTemplates(set: KObject): ClaimTemplate[] {
  const list: PersistentVolumeClaim[] = set.spec?.volumeClaimTemplates ?? [];
  return list.filter((t): t is ClaimTemplate => typeof t.metadata?.name === 'string');
}

/** `<template>-<set>-<ordinal>`, the name upstream gives every claim of a set. */
export function claimName(set: KObject, template: ClaimTemplate, ordinal: number): string {
  return `${template.metadata.name}-${set.metadata.name}-${ordinal}`;
}

/** The claims a pod of the set needs, labelled with the set's selector as upstream does. */
export function claimsFor(set: KObject, ordinal: number): KObject[] {
  const selectorLabels: Record<string, string> = set.spec?.selector?.matchLabels ?? {};
  return claimTemplates(set).map((t) => {
    const claim = structuredClone(t) as KObject;
    claim.apiVersion = 'v1';
    claim.kind = 'PersistentVolumeClaim';
    claim.metadata = {
      ...(t.metadata.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      name: claimName(set, t, ordinal),
      namespace: set.metadata.namespace,
      labels: { ...(t.metadata.labels ?? {}), ...selectorLabels },
    };
    delete claim.status;
    return claim;
  });
}

/** Point the pod's volumes named like a template at the ordinal's claim (added when missing). */
export function attachClaims(set: KObject, pod: KObject, ordinal: number): void {
  const volumes: Volume[] = pod.spec.volumes ?? [];
  for (const t of claimTemplates(set)) {
    const volume: Volume = { name: t.metadata.name, persistentVolumeClaim: { claimName: claimName(set, t, ordinal) } };
    const i = volumes.findIndex((v) => v.name === t.metadata.name);
    if (i >= 0) volumes[i] = volume;
    else volumes.push(volume);
  }
  if (volumes.length) pod.spec.volumes = volumes;
}

const ownerRef = (o: KObject, controller: boolean): OwnerReference => ({
  apiVersion: o.apiVersion!,
  kind: o.kind!,
  name: o.metadata.name!,
  uid: o.metadata.uid!,
  ...(controller ? { controller: true, blockOwnerDeletion: true } : {}),
});

export type ClaimResult = { created: string[]; deleting: string[] };

/**
 * Create the claims a pod needs before the pod (upstream's createPersistentVolumeClaims). A claim
 * that already exists is reused, which is how a replaced pod gets its data back.
 */
export function ensureClaims(store: Store, set: KObject, ordinal: number): ClaimResult {
  const result: ClaimResult = { created: [], deleting: [] };
  for (const claim of claimsFor(set, ordinal)) {
    const existing = store.get(PVCS, claim.metadata.namespace, claim.metadata.name!);
    if (existing) {
      if (existing.metadata.deletionTimestamp) result.deleting.push(claim.metadata.name!);
      continue;
    }
    const refs = wantedOwners([], set, undefined, false);
    if (refs.length) claim.metadata.ownerReferences = refs;
    store.create(PVCS, claim);
    result.created.push(claim.metadata.name!);
  }
  return result;
}

/**
 * persistentVolumeClaimRetentionPolicy as owner references (upstream's
 * updateClaimOwnerRefForSetAndPod): `whenDeleted: Delete` makes the set an owner, so the garbage
 * collector removes the claims with it; `whenScaled: Delete` makes a condemned pod the owner and
 * drops the set's reference (the collector removes an object only once all its owners are gone).
 */
export function updateClaimOwners(store: Store, set: KObject, pod: KObject, ordinal: number, condemned: boolean): void {
  for (const t of claimTemplates(set)) {
    const claim = store.get(PVCS, set.metadata.namespace, claimName(set, t, ordinal));
    if (!claim || claim.metadata.deletionTimestamp) continue;
    const current = claim.metadata.ownerReferences ?? [];
    const wanted = wantedOwners(current, set, pod, condemned);
    if (JSON.stringify(wanted) === JSON.stringify(current)) continue;
    store.mutate(PVCS, claim.metadata.namespace, claim.metadata.name!, (o) => {
      if (wanted.length) o.metadata.ownerReferences = wanted;
      else delete o.metadata.ownerReferences;
    });
  }
}

function wantedOwners(
  current: OwnerReference[],
  set: KObject,
  pod: KObject | undefined,
  condemned: boolean,
): OwnerReference[] {
  const policy = set.spec?.persistentVolumeClaimRetentionPolicy ?? {};
  const podDeletes = policy.whenScaled === 'Delete' && condemned && pod !== undefined;
  const setDeletes = policy.whenDeleted === 'Delete' && !podDeletes;
  const others = current.filter((r) => r.uid !== set.metadata.uid && r.uid !== pod?.metadata.uid);
  const find = (o: KObject, controller: boolean) =>
    current.find((r) => r.uid === o.metadata.uid) ?? ownerRef(o, controller);
  return [...others, ...(setDeletes ? [find(set, true)] : []), ...(podDeletes ? [find(pod, false)] : [])];
}
