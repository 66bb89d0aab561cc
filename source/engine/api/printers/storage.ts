import type { KObject } from '../../../api-types/index.ts';
import { translateTimestampSince } from './age.ts';
import { ageColumn, column, nameColumn, type TablePrinter } from './common.ts';

/** `helper.GetAccessModesAsString`: RWO,ROX,RWX,RWOP in that order. */
export function accessModesString(modes: unknown): string {
  const list = Array.isArray(modes) ? modes : [];
  const out: string[] = [];
  if (list.includes('ReadWriteOnce')) out.push('RWO');
  if (list.includes('ReadOnlyMany')) out.push('ROX');
  if (list.includes('ReadWriteMany')) out.push('RWX');
  if (list.includes('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

const volumeModeColumn = column(
  'VolumeMode',
  'string',
  'volumeMode defines what type of volume is required by the claim.',
  1,
);
const vacColumn = column(
  'VolumeAttributesClass',
  'string',
  'Name of VolumeAttributesClass to which this persistent volume belongs.',
);

export const persistentVolumeTable: TablePrinter = {
  columns: [
    nameColumn,
    column('Capacity', 'string', "capacity is the description of the persistent volume's resources and capacity."),
    column('Access Modes', 'string', 'accessModes contains all ways the volume can be mounted.'),
    column(
      'Reclaim Policy',
      'string',
      'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.',
    ),
    column('Status', 'string', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    column(
      'Claim',
      'string',
      'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.',
    ),
    column(
      'StorageClass',
      'string',
      'storageClassName is the name of StorageClass to which this persistent volume belongs.',
    ),
    vacColumn,
    column('Reason', 'string', 'reason is a brief CamelCase string that describes any failure.'),
    ageColumn,
    volumeModeColumn,
  ],
  row(obj: KObject, now: number) {
    const s = obj.spec ?? {};
    const claim = s.claimRef ? `${s.claimRef.namespace}/${s.claimRef.name}` : '';
    const phase = obj.metadata.deletionTimestamp ? 'Terminating' : (obj.status?.phase ?? '');
    return [
      obj.metadata.name,
      String(s.capacity?.storage ?? '0'),
      accessModesString(s.accessModes),
      s.persistentVolumeReclaimPolicy ?? '',
      phase,
      claim,
      s.storageClassName ?? '',
      s.volumeAttributesClassName ?? '<unset>',
      obj.status?.reason ?? '',
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      s.volumeMode ?? '<unset>',
    ];
  },
};

export const persistentVolumeClaimTable: TablePrinter = {
  columns: [
    nameColumn,
    column('Status', 'string', 'phase represents the current phase of PersistentVolumeClaim.'),
    column('Volume', 'string', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    column('Capacity', 'string', 'capacity represents the actual resources of the underlying volume.'),
    column('Access Modes', 'string', 'accessModes contains the actual access modes the volume backing the PVC has.'),
    column('StorageClass', 'string', 'storageClassName is the name of the StorageClass required by the claim.'),
    vacColumn,
    ageColumn,
    volumeModeColumn,
  ],
  row(obj: KObject, now: number) {
    const s = obj.spec ?? {};
    const phase = obj.metadata.deletionTimestamp ? 'Terminating' : (obj.status?.phase ?? '');
    const bound = !!s.volumeName;
    return [
      obj.metadata.name,
      phase,
      s.volumeName ?? '',
      bound ? String(obj.status?.capacity?.storage ?? '') : '',
      bound ? accessModesString(obj.status?.accessModes) : '',
      s.storageClassName ?? '',
      s.volumeAttributesClassName ?? '<unset>',
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      s.volumeMode ?? '<unset>',
    ];
  },
};

export const storageClassTable: TablePrinter = {
  columns: [
    nameColumn,
    column('Provisioner', 'string', 'provisioner indicates the type of the provisioner.'),
    column(
      'ReclaimPolicy',
      'string',
      'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.',
    ),
    column(
      'VolumeBindingMode',
      'string',
      'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.',
    ),
    column(
      'AllowVolumeExpansion',
      'string',
      'allowVolumeExpansion shows whether the storage class allow volume expand.',
    ),
    ageColumn,
  ],
  row(obj: KObject, now: number) {
    const ann = obj.metadata.annotations ?? {};
    const isDefault =
      ann['storageclass.kubernetes.io/is-default-class'] === 'true' ||
      ann['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
    return [
      isDefault ? `${obj.metadata.name} (default)` : obj.metadata.name,
      obj.provisioner ?? '',
      obj.reclaimPolicy ?? 'Delete',
      obj.volumeBindingMode ?? 'Immediate',
      obj.allowVolumeExpansion === true,
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};
