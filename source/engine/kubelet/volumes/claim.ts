import type { Store } from '../../store/store.ts';
import { MountError } from './payload.ts';

/** The host directory behind a claim: its bound PV's `hostPath` or `local` path. */
export function claimVolumePath(store: Store, namespace: string, claimName: string): string {
  const pvc = store.get('persistentvolumeclaims', namespace, claimName);
  if (!pvc) throw new MountError(`persistentvolumeclaim "${claimName}" not found`);
  if (pvc.metadata.deletionTimestamp) throw new MountError(`persistentvolumeclaim "${claimName}" is being deleted`);
  const pvName = pvc.spec?.volumeName;
  if (!pvName || pvc.status?.phase !== 'Bound') throw new MountError(`PVC ${namespace}/${claimName} is not bound`);
  const pv = store.get('persistentvolumes', undefined, pvName);
  if (!pv) throw new MountError(`persistentvolume "${pvName}" not found`);
  const path = pv.spec?.hostPath?.path ?? pv.spec?.local?.path;
  if (typeof path !== 'string')
    throw new MountError(`persistentvolume "${pvName}" has no hostPath or local source skiff can mount`);
  return path;
}
