import type { KObject, StatusCause } from '../../api-types/index.ts';
import { DEFAULT_VERBS, type ResourceDef } from './types.ts';
import { cause, isObject } from './validation.ts';

const oneOf = (v: unknown, allowed: readonly string[]): boolean => typeof v === 'string' && allowed.includes(v);

const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
const statusSub = (kind: string) => [
  { name: 'status', kind, group: '', version: 'v1', verbs: ['get', 'patch', 'update'] },
];

function validateAccessModes(modes: unknown, field: string, out: StatusCause[]): void {
  if (!Array.isArray(modes) || modes.length === 0) {
    out.push(cause.required(field, 'at least 1 access mode is required'));
    return;
  }
  for (const m of modes) if (!ACCESS_MODES.includes(m)) out.push(cause.notSupported(field, m, ACCESS_MODES));
  if (modes.includes('ReadWriteOncePod') && modes.length > 1)
    out.push(cause.forbidden(field, 'may not use ReadWriteOncePod with other access modes'));
}

function validStorage(q: unknown): boolean {
  return (
    (typeof q === 'string' && /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m)?$/.test(q)) ||
    (typeof q === 'number' && q >= 0)
  );
}

export const persistentvolumes: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  plural: 'persistentvolumes',
  singular: 'persistentvolume',
  namespaced: false,
  shortNames: ['pv'],
  verbs: DEFAULT_VERBS,
  hasStatus: true,
  subresources: statusSub('PersistentVolume'),
  prepareForCreate(o: KObject) {
    o.status = { phase: 'Pending' };
  },
  defaults(o: KObject) {
    o.spec ??= {};
    o.spec.persistentVolumeReclaimPolicy ??= 'Retain';
    o.spec.volumeMode ??= 'Filesystem';
    o.status ??= {};
    o.status.phase ??= 'Pending';
  },
  validate(o: KObject, old?: KObject) {
    const out: StatusCause[] = [];
    const s = o.spec ?? {};
    validateAccessModes(s.accessModes, 'spec.accessModes', out);
    if (!isObject(s.capacity) || s.capacity.storage === undefined) out.push(cause.required('spec.capacity', ''));
    else if (!validStorage(s.capacity.storage))
      out.push(cause.invalid('spec.capacity[storage]', s.capacity.storage, 'must be a valid quantity'));
    const sources = ['hostPath', 'local', 'nfs', 'csi', 'iscsi', 'fc', 'rbd', 'cephfs'].filter((k) => s[k]);
    if (sources.length === 0) out.push(cause.required('spec', 'must specify a volume type'));
    if (sources.length > 1) out.push(cause.forbidden(`spec.${sources[1]}`, 'may not specify more than 1 volume type'));
    if (s.hostPath && (typeof s.hostPath.path !== 'string' || !s.hostPath.path))
      out.push(cause.required('spec.hostPath.path', ''));
    if (s.local && typeof s.local.path !== 'string') out.push(cause.required('spec.local.path', ''));
    if (s.local && !s.nodeAffinity)
      out.push(cause.required('spec.nodeAffinity', 'Local volume requires node affinity'));
    const rp = s.persistentVolumeReclaimPolicy;
    if (!['Retain', 'Delete', 'Recycle'].includes(rp))
      out.push(cause.notSupported('spec.persistentVolumeReclaimPolicy', rp, ['Delete', 'Recycle', 'Retain']));
    if (old && old.spec?.volumeMode !== s.volumeMode) out.push(cause.immutable('spec.volumeMode', s.volumeMode));
    return out;
  },
};

export const persistentvolumeclaims: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  plural: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  namespaced: true,
  shortNames: ['pvc'],
  verbs: DEFAULT_VERBS,
  hasStatus: true,
  subresources: statusSub('PersistentVolumeClaim'),
  prepareForCreate(o: KObject) {
    o.status = { phase: 'Pending' };
  },
  defaults(o: KObject) {
    o.spec ??= {};
    o.spec.volumeMode ??= 'Filesystem';
    o.status ??= {};
    o.status.phase ??= 'Pending';
  },
  validate(o: KObject, old?: KObject) {
    const out: StatusCause[] = [];
    const s = o.spec ?? {};
    validateAccessModes(s.accessModes, 'spec.accessModes', out);
    const req = s.resources?.requests?.storage;
    if (req === undefined) out.push(cause.required('spec.resources[storage]', ''));
    else if (!validStorage(req))
      out.push(cause.invalid('spec.resources.requests[storage]', req, 'must be a valid quantity'));
    if (old) {
      // Only the requested size (expansion) and, once, the volume name may change after creation.
      const strip = (x: KObject) => ({
        ...x.spec,
        resources: undefined,
        volumeName: undefined,
        storageClassName: undefined,
      });
      if (JSON.stringify(strip(o)) !== JSON.stringify(strip(old)))
        out.push(
          cause.forbidden(
            'spec',
            'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
          ),
        );
      if (old.spec?.volumeName && o.spec?.volumeName !== old.spec.volumeName)
        out.push(cause.immutable('spec.volumeName', o.spec?.volumeName));
      if (old.spec?.storageClassName !== undefined && o.spec?.storageClassName !== old.spec.storageClassName)
        out.push(
          cause.forbidden(
            'spec',
            'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
          ),
        );
    }
    return out;
  },
};

export const storageclasses: ResourceDef = {
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  plural: 'storageclasses',
  singular: 'storageclass',
  namespaced: false,
  shortNames: ['sc'],
  verbs: DEFAULT_VERBS,
  defaults(o: KObject) {
    o.reclaimPolicy ??= 'Delete';
    o.volumeBindingMode ??= 'Immediate';
  },
  validate(o: KObject, old?: KObject) {
    const out: StatusCause[] = [];
    if (typeof o.provisioner !== 'string' || !o.provisioner) out.push(cause.required('provisioner', ''));
    if (!oneOf(o.reclaimPolicy, ['Delete', 'Retain']))
      out.push(cause.notSupported('reclaimPolicy', o.reclaimPolicy, ['Delete', 'Retain']));
    if (!oneOf(o.volumeBindingMode, ['Immediate', 'WaitForFirstConsumer']))
      out.push(cause.notSupported('volumeBindingMode', o.volumeBindingMode, ['Immediate', 'WaitForFirstConsumer']));
    if (old) {
      if (old.provisioner !== o.provisioner)
        out.push(cause.forbidden('provisioner', 'updates to provisioner are forbidden.'));
      if (JSON.stringify(old.parameters ?? {}) !== JSON.stringify(o.parameters ?? {}))
        out.push(cause.forbidden('parameters', 'updates to parameters are forbidden.'));
      if (old.reclaimPolicy !== o.reclaimPolicy)
        out.push(cause.forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
      if (old.volumeBindingMode !== o.volumeBindingMode)
        out.push(cause.forbidden('volumeBindingMode', 'field is immutable'));
    }
    return out;
  },
};
