import type { KObject } from '../../../api-types/index.ts';
import type { Store } from '../../store/store.ts';
import { DEFAULT_CLASS_ANNOTATION, PV_PROTECTION, PVC_PROTECTION } from './names.ts';

const installed = new WeakSet<Store>();

/** The default StorageClass: the newest class annotated default, as the admission plugin picks it. */
export function defaultStorageClass(store: Store): KObject | undefined {
  const defaults = store
    .list('storageclasses.storage.k8s.io')
    .items.filter(
      (c) =>
        c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true' ||
        c.metadata.annotations?.['storageclass.beta.kubernetes.io/is-default-class'] === 'true',
    );
  defaults.sort((a, b) => String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)));
  return defaults[0];
}

/**
 * The API server's admission for storage: DefaultStorageClass (a claim without a class gets the
 * default one; `""` asks for none) and StorageObjectInUseProtection (the protection finalizers).
 */
export function installStorageAdmission(store: Store): void {
  if (installed.has(store)) return;
  installed.add(store);
  store.admit('persistentvolumeclaims', {
    create(obj) {
      obj.spec ??= {};
      if (obj.spec.storageClassName === undefined || obj.spec.storageClassName === null) {
        const cls = defaultStorageClass(store);
        if (cls) obj.spec.storageClassName = cls.metadata.name;
      }
      addFinalizer(obj, PVC_PROTECTION);
    },
  });
  store.admit('persistentvolumes', {
    create(obj) {
      addFinalizer(obj, PV_PROTECTION);
    },
  });
}

function addFinalizer(obj: KObject, f: string): void {
  const list: string[] = obj.metadata.finalizers ?? [];
  if (!list.includes(f)) obj.metadata.finalizers = [...list, f];
}
