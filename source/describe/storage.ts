import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../api-types/index.ts';
import { since } from './age.ts';
import { describeEvents } from './events.ts';
import { printAnnotationsMultiline, printLabelsMultiline } from './format.ts';
import { canonicalQuantity } from './quantity.ts';
import { PrefixWriter } from './writer.ts';

const MODES: Record<string, string> = {
  ReadWriteOnce: 'RWO',
  ReadOnlyMany: 'ROX',
  ReadWriteMany: 'RWX',
  ReadWriteOncePod: 'RWOP',
};

/** kubectl's GetAccessModesAsString: the short forms, each once, in a fixed order. */
export function accessModesString(modes: string[] | undefined): string {
  const set = new Set(modes ?? []);
  return Object.keys(MODES)
    .filter((m) => set.has(m))
    .map((m) => MODES[m])
    .join(',');
}

/** Go's `%v` of a string slice: `[a b]`. */
const goList = (list: string[] | undefined) => `[${(list ?? []).join(' ')}]`;

const claimClass = (c: PersistentVolumeClaim) =>
  c.spec?.storageClassName ?? c.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? '';

export function describePersistentVolumeClaim(obj: KObject, pods: KObject[], events: KObject[], now: number): string {
  const pvc = obj as PersistentVolumeClaim;
  const meta = obj.metadata;
  const w = new PrefixWriter();
  w.write(0, `Name:\t${meta.name ?? ''}\n`);
  w.write(0, `Namespace:\t${meta.namespace ?? ''}\n`);
  w.write(0, `StorageClass:\t${claimClass(pvc)}\n`);
  w.write(
    0,
    meta.deletionTimestamp
      ? `Status:\tTerminating (lasts ${since(meta.deletionTimestamp, now)})\n`
      : `Status:\t${pvc.status?.phase ?? ''}\n`,
  );
  w.write(0, `Volume:\t${pvc.spec?.volumeName ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  w.write(0, `Finalizers:\t${goList(meta.finalizers)}\n`);
  const bound = !!pvc.spec?.volumeName;
  const capacity =
    bound && pvc.status?.capacity?.storage !== undefined
      ? canonicalQuantity(pvc.status.capacity.storage)
      : bound
        ? '0'
        : '';
  w.write(0, `Capacity:\t${capacity}\n`);
  w.write(0, `Access Modes:\t${bound ? accessModesString(pvc.status?.accessModes) : ''}\n`);
  if (pvc.spec?.volumeMode) w.write(0, `VolumeMode:\t${pvc.spec.volumeMode}\n`);
  const source = pvc.spec?.dataSource;
  if (source) {
    w.write(0, 'DataSource:\n');
    if (source.apiGroup) w.write(1, `APIGroup:\t${source.apiGroup}\n`);
    w.write(1, `Kind:\t${source.kind}\n`);
    w.write(1, `Name:\t${source.name}\n`);
  }
  const users = pods
    .filter((p) => usesClaim(p, meta.name ?? ''))
    .map((p) => p.metadata.name ?? '')
    .sort();
  w.write(0, `Used By:\t${users.length ? users.join('\n\t') : '<none>'}\n`);
  describeEvents(events, w, now);
  return w.toString();
}

/** A pod uses a claim through a persistentVolumeClaim volume or its generic ephemeral volume. */
function usesClaim(pod: KObject, claim: string): boolean {
  return (pod.spec?.volumes ?? []).some(
    (v: { name?: string; persistentVolumeClaim?: { claimName?: string }; ephemeral?: unknown }) =>
      v.persistentVolumeClaim?.claimName === claim ||
      (v.ephemeral !== undefined && `${pod.metadata.name}-${v.name}` === claim),
  );
}

export function describePersistentVolume(obj: KObject, events: KObject[], now: number): string {
  const pv = obj as PersistentVolume;
  const meta = obj.metadata;
  const spec = pv.spec ?? {};
  const w = new PrefixWriter();
  w.write(0, `Name:\t${meta.name ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  w.write(0, `Finalizers:\t${goList(meta.finalizers)}\n`);
  w.write(
    0,
    `StorageClass:\t${spec.storageClassName ?? meta.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? ''}\n`,
  );
  w.write(
    0,
    meta.deletionTimestamp
      ? `Status:\tTerminating (lasts ${since(meta.deletionTimestamp, now)})\n`
      : `Status:\t${pv.status?.phase ?? ''}\n`,
  );
  w.write(0, `Claim:\t${spec.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : ''}\n`);
  w.write(0, `Reclaim Policy:\t${spec.persistentVolumeReclaimPolicy ?? ''}\n`);
  w.write(0, `Access Modes:\t${accessModesString(spec.accessModes)}\n`);
  if (spec.volumeMode) w.write(0, `VolumeMode:\t${spec.volumeMode}\n`);
  w.write(0, `Capacity:\t${spec.capacity?.storage !== undefined ? canonicalQuantity(spec.capacity.storage) : '0'}\n`);
  describeNodeAffinity(spec.nodeAffinity, w);
  w.write(0, `Message:\t${pv.status?.message ?? ''}\n`);
  w.write(0, 'Source:\n');
  if (spec.hostPath) {
    w.write(2, 'Type:\tHostPath (bare host directory volume)\n');
    w.write(2, `Path:\t${spec.hostPath.path}\n`);
    w.write(2, `HostPathType:\t${spec.hostPath.type ?? ''}\n`);
  } else if (spec.local) {
    w.write(2, 'Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n');
    w.write(2, `Path:\t${spec.local.path}\n`);
  }
  describeEvents(events, w, now);
  return w.toString();
}

type NodeAffinity = NonNullable<PersistentVolume['spec']>['nodeAffinity'];

function describeNodeAffinity(affinity: NodeAffinity, w: PrefixWriter): void {
  const terms = affinity?.required?.nodeSelectorTerms;
  if (!terms) {
    w.write(0, 'Node Affinity:\t<none>\n');
    return;
  }
  w.write(0, 'Node Affinity:\n');
  w.write(1, 'Required Terms:\n');
  if (terms.length === 0) w.write(2, '<none>\n');
  terms.forEach((term, i) => {
    const exprs = (term.matchExpressions ?? []).map(
      (e) => `${e.key} ${e.operator.toLowerCase() === 'in' ? 'in' : e.operator} [${(e.values ?? []).join(', ')}]`,
    );
    w.write(2, `Term ${i}:\t${exprs.length ? exprs.join('\n\t\t') : '<none>'}\n`);
  });
}
