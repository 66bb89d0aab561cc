import { mkdir, rm } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { KObject } from '../../../api-types/index.ts';
import type { Component, EngineContext } from '../../context.ts';
import { parseQuantity } from '../../scheduler/resources.ts';
import { matchesLabelSelector } from '../../store/selectors.ts';
import type { WatchHandle } from '../../store/store.ts';
import { WorkQueue } from '../../framework/work-queue.ts';
import { installStorageAdmission } from './admission.ts';
import {
  BIND_COMPLETED,
  BOUND_BY_CONTROLLER,
  DEFAULT_CLASS,
  DEFAULT_CLASS_ANNOTATION,
  LOCAL_PATH_PROVISIONER,
  PROVISIONED_BY,
  PV_PROTECTION,
  PVC_PROTECTION,
  SELECTED_NODE,
  STORAGE_PROVISIONER,
  BETA_STORAGE_PROVISIONER,
} from './names.ts';

const PVC = 'persistentvolumeclaims';
const PV = 'persistentvolumes';
const SC = 'storageclasses.storage.k8s.io';
const SOURCE = { component: 'persistentvolume-controller' };

/** Claims a pod's volumes name. */
export function podClaims(pod: KObject): string[] {
  const vols: { persistentVolumeClaim?: { claimName?: string } }[] = Array.isArray(pod.spec?.volumes)
    ? pod.spec.volumes
    : [];
  return vols
    .map((v) => v?.persistentVolumeClaim?.claimName)
    .filter((n): n is string => typeof n === 'string' && n !== '');
}

function quantity(q: unknown): number {
  const v = parseQuantity(q);
  return Number.isNaN(v) ? 0 : v;
}

/**
 * The PV controller, the local-path provisioner and the protection controller in one loop:
 * binds claims to matching volumes (smallest that fits), provisions a directory per claim of a
 * `skiff.dev/local-path` class (at once, or when the first pod using it is scheduled), releases
 * and reclaims (Delete/Retain) volumes whose claim is gone, and lifts the protection finalizers
 * once nothing uses a claim or volume.
 */
export class StorageController implements Component {
  readonly name = 'storage';
  private ctx!: EngineContext;
  private queue!: WorkQueue;
  private watches: WatchHandle[] = [];
  private told = new Set<string>();

  start(ctx: EngineContext): void {
    this.ctx = ctx;
    const { store, clock } = ctx;
    installStorageAdmission(store);
    if (store.list(SC).items.length === 0) {
      store.create(SC, {
        metadata: { name: DEFAULT_CLASS, annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } },
        provisioner: LOCAL_PATH_PROVISIONER,
        reclaimPolicy: 'Delete',
        volumeBindingMode: 'WaitForFirstConsumer',
      });
    }
    this.queue = new WorkQueue(
      clock,
      (key) => this.sync(key),
      (key, err) => ctx.log(`storage: ${key}: ${(err as Error).message}`),
    );
    const claimKey = (ns: string | undefined, name: string) => `pvc/${ns ?? 'default'}/${name}`;
    this.watches.push(
      store.watch(PVC, {}, (ev) => {
        this.queue.add(claimKey(ev.object.metadata.namespace, ev.object.metadata.name!));
        // A claim that goes releases its volume.
        if (ev.object.spec?.volumeName) this.queue.add(`pv/${ev.object.spec.volumeName}`);
      }),
      store.watch(PV, {}, (ev) => {
        this.queue.add(`pv/${ev.object.metadata.name}`);
        const ref = ev.object.spec?.claimRef;
        if (ref?.name) this.queue.add(claimKey(ref.namespace, ref.name));
      }),
      store.watch(SC, {}, () => {
        for (const c of store.list(PVC).items)
          if (!c.spec?.volumeName) this.queue.add(claimKey(c.metadata.namespace, c.metadata.name!));
      }),
      store.watch('pods', {}, (ev) => {
        for (const name of podClaims(ev.object)) this.queue.add(claimKey(ev.object.metadata.namespace, name));
      }),
    );
    for (const c of store.list(PVC).items) this.queue.add(claimKey(c.metadata.namespace, c.metadata.name!));
    for (const v of store.list(PV).items) this.queue.add(`pv/${v.metadata.name}`);
  }

  stop(): void {
    for (const w of this.watches) w.stop();
    this.queue?.stop();
  }

  private async sync(key: string): Promise<void> {
    const [kind, a, b] = key.split('/') as [string, string, string | undefined];
    if (kind === 'pvc') await this.syncClaim(a, b!);
    else await this.syncVolume(a);
  }

  private event(obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string, once = true): void {
    const k = `${obj.metadata.uid}/${reason}/${message}`;
    if (once && this.told.has(k)) return;
    this.told.add(k);
    this.ctx.recorder.record(obj, type, reason, message, SOURCE);
  }

  /** Pods that are not finished and name the claim: the claim is in use. */
  private usedBy(claim: KObject): KObject[] {
    return this.ctx.store
      .list('pods', { namespace: claim.metadata.namespace })
      .items.filter(
        (p) => !['Succeeded', 'Failed'].includes(p.status?.phase) && podClaims(p).includes(claim.metadata.name!),
      );
  }

  private async syncClaim(ns: string, name: string): Promise<void> {
    const { store } = this.ctx;
    const claim = store.get(PVC, ns, name);
    if (!claim) return;
    if (claim.metadata.deletionTimestamp) {
      if (claim.metadata.finalizers?.includes(PVC_PROTECTION) && this.usedBy(claim).length === 0) {
        store.mutate(PVC, ns, name, (o) => {
          o.metadata.finalizers = (o.metadata.finalizers ?? []).filter((f: string) => f !== PVC_PROTECTION);
        });
      }
      return;
    }
    const volumeName = claim.spec?.volumeName;
    if (volumeName) {
      const pv = store.get(PV, undefined, volumeName);
      if (!pv) {
        if (claim.status?.phase === 'Bound') {
          this.event(
            claim,
            'Warning',
            'ClaimLost',
            'Bound claim has lost its PersistentVolume. Data on the volume is lost!',
          );
          this.setClaimStatus(claim, { phase: 'Lost' });
        }
        return;
      }
      if (!pv.spec?.claimRef) {
        if (this.fits(pv, claim)) this.bind(pv, claim, false);
        return;
      }
      if (pv.spec.claimRef.uid && pv.spec.claimRef.uid !== claim.metadata.uid) return;
      if (claim.status?.phase !== 'Bound') this.bind(pv, claim, false);
      return;
    }
    const className: string = claim.spec?.storageClassName ?? '';
    const match = this.findVolume(claim, className);
    if (match) {
      this.bind(match, claim, true);
      return;
    }
    if (!className) {
      this.event(
        claim,
        'Normal',
        'FailedBinding',
        'no persistent volumes available for this claim and no storage class is set',
      );
      return;
    }
    const cls = store.get(SC, undefined, className);
    if (!cls) {
      this.event(claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
      return;
    }
    if (cls.provisioner !== LOCAL_PATH_PROVISIONER) {
      this.event(
        claim,
        'Normal',
        'ExternalProvisioning',
        `Waiting for a volume to be created either by the external provisioner '${cls.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
      );
      return;
    }
    let node: string | undefined = claim.metadata.annotations?.[SELECTED_NODE];
    if (cls.volumeBindingMode === 'WaitForFirstConsumer' && !node) {
      const consumer = this.usedBy(claim).find((p) => p.spec?.nodeName);
      if (!consumer) {
        this.event(claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
        return;
      }
      node = consumer.spec.nodeName as string;
      store.mutate(PVC, ns, name, (o) => {
        o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [SELECTED_NODE]: node! };
      });
    }
    await this.provision(store.get(PVC, ns, name) ?? claim, cls);
  }

  private async provision(claim: KObject, cls: KObject): Promise<void> {
    const { store, config } = this.ctx;
    const ns = claim.metadata.namespace!;
    const name = claim.metadata.name!;
    if (!claim.metadata.annotations?.[STORAGE_PROVISIONER]) {
      claim = store.mutate(PVC, ns, name, (o) => {
        o.metadata.annotations = {
          ...(o.metadata.annotations ?? {}),
          [STORAGE_PROVISIONER]: LOCAL_PATH_PROVISIONER,
          [BETA_STORAGE_PROVISIONER]: LOCAL_PATH_PROVISIONER,
        };
      });
    }
    const pvName = `pvc-${claim.metadata.uid}`;
    this.event(
      claim,
      'Normal',
      'Provisioning',
      `External provisioner is provisioning volume for claim "${ns}/${name}"`,
    );
    const dir = join(config.home, 'volumes', `${pvName}_${ns}_${name}`);
    try {
      await mkdir(dir, { recursive: true, mode: 0o777 });
    } catch (err) {
      this.event(
        claim,
        'Warning',
        'ProvisioningFailed',
        `failed to provision volume with StorageClass "${cls.metadata.name}": ${(err as Error).message}`,
        false,
      );
      throw err;
    }
    let pv = store.get(PV, undefined, pvName);
    if (!pv) {
      pv = store.create(PV, {
        metadata: { name: pvName, annotations: { [PROVISIONED_BY]: LOCAL_PATH_PROVISIONER } },
        spec: {
          capacity: { storage: claim.spec.resources.requests.storage },
          accessModes: claim.spec.accessModes,
          persistentVolumeReclaimPolicy: cls.reclaimPolicy ?? 'Delete',
          storageClassName: cls.metadata.name,
          volumeMode: claim.spec.volumeMode ?? 'Filesystem',
          hostPath: { path: dir, type: 'DirectoryOrCreate' },
          claimRef: {
            kind: 'PersistentVolumeClaim',
            apiVersion: 'v1',
            namespace: ns,
            name,
            uid: claim.metadata.uid,
            resourceVersion: claim.metadata.resourceVersion,
          },
        },
      });
      this.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName}`);
    }
    const cur = store.get(PVC, ns, name);
    if (cur) this.bind(pv, cur, false);
  }

  /** An unclaimed volume that satisfies the claim: class, modes, size, mode, selector; smallest first. */
  private findVolume(claim: KObject, className: string): KObject | undefined {
    const candidates = this.ctx.store.list(PV).items.filter((pv) => {
      if (pv.metadata.deletionTimestamp) return false;
      const ref = pv.spec?.claimRef;
      if (
        ref &&
        !(
          ref.namespace === claim.metadata.namespace &&
          ref.name === claim.metadata.name &&
          (!ref.uid || ref.uid === claim.metadata.uid)
        )
      )
        return false;
      if (!ref && pv.status?.phase !== 'Available' && pv.status?.phase !== 'Pending') return false;
      return (pv.spec?.storageClassName ?? '') === className && this.fits(pv, claim);
    });
    candidates.sort(
      (a, b) =>
        Number(!!b.spec?.claimRef) - Number(!!a.spec?.claimRef) ||
        quantity(a.spec?.capacity?.storage) - quantity(b.spec?.capacity?.storage),
    );
    return candidates[0];
  }

  private fits(pv: KObject, claim: KObject): boolean {
    const modes: string[] = pv.spec?.accessModes ?? [];
    if (!(claim.spec?.accessModes ?? []).every((m: string) => modes.includes(m))) return false;
    if (quantity(pv.spec?.capacity?.storage) < quantity(claim.spec?.resources?.requests?.storage)) return false;
    if ((pv.spec?.volumeMode ?? 'Filesystem') !== (claim.spec?.volumeMode ?? 'Filesystem')) return false;
    try {
      if (claim.spec?.selector && !matchesLabelSelector(claim.spec.selector, pv.metadata.labels)) return false;
    } catch {
      return false;
    }
    return true;
  }

  private bind(pv: KObject, claim: KObject, byController: boolean): void {
    const { store } = this.ctx;
    const ns = claim.metadata.namespace!;
    const name = claim.metadata.name!;
    let vol = pv;
    if (!pv.spec?.claimRef || pv.spec.claimRef.uid !== claim.metadata.uid) {
      vol = store.mutate(PV, undefined, pv.metadata.name!, (o) => {
        o.spec.claimRef = {
          kind: 'PersistentVolumeClaim',
          apiVersion: 'v1',
          namespace: ns,
          name,
          uid: claim.metadata.uid,
          resourceVersion: claim.metadata.resourceVersion,
        };
        if (byController) o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [BOUND_BY_CONTROLLER]: 'yes' };
      });
    }
    if (vol.status?.phase !== 'Bound')
      store.update(PV, { ...structuredClone(vol), status: { phase: 'Bound' } }, { subresource: 'status' });
    let c = claim;
    if (c.spec?.volumeName !== vol.metadata.name || c.metadata.annotations?.[BIND_COMPLETED] !== 'yes') {
      c = store.mutate(PVC, ns, name, (o) => {
        o.spec.volumeName = vol.metadata.name;
        o.metadata.annotations = {
          ...(o.metadata.annotations ?? {}),
          [BIND_COMPLETED]: 'yes',
          ...(byController ? { [BOUND_BY_CONTROLLER]: 'yes' } : {}),
        };
      });
    }
    if (c.status?.phase !== 'Bound')
      this.setClaimStatus(c, { phase: 'Bound', accessModes: vol.spec.accessModes, capacity: vol.spec.capacity });
  }

  private setClaimStatus(claim: KObject, status: Record<string, unknown>): void {
    this.ctx.store.update(PVC, { ...structuredClone(claim), status }, { subresource: 'status' });
  }

  private setVolumeStatus(pv: KObject, status: Record<string, unknown>): void {
    this.ctx.store.update(PV, { ...structuredClone(pv), status }, { subresource: 'status' });
  }

  private async syncVolume(name: string): Promise<void> {
    const { store, config } = this.ctx;
    const pv = store.get(PV, undefined, name);
    if (!pv) return;
    const ref = pv.spec?.claimRef;
    const claim = ref?.name ? store.get(PVC, ref.namespace, ref.name) : undefined;
    const claimed = !!claim && (!ref.uid || claim.metadata.uid === ref.uid);
    if (pv.metadata.deletionTimestamp) {
      if (pv.metadata.finalizers?.includes(PV_PROTECTION) && !(claimed && pv.status?.phase === 'Bound')) {
        store.mutate(PV, undefined, name, (o) => {
          o.metadata.finalizers = (o.metadata.finalizers ?? []).filter((f: string) => f !== PV_PROTECTION);
        });
      }
      return;
    }
    if (!ref) {
      if (pv.status?.phase !== 'Available') this.setVolumeStatus(pv, { phase: 'Available' });
      return;
    }
    if (claimed) {
      if (claim.spec?.volumeName === name && pv.status?.phase !== 'Bound') this.setVolumeStatus(pv, { phase: 'Bound' });
      return;
    }
    if (!ref.uid) return; // pre-bound to a claim that does not exist yet
    // The claim is gone: the volume is released and reclaimed by its policy.
    if (pv.status?.phase === 'Bound' || pv.status?.phase === 'Pending' || pv.status?.phase === 'Available') {
      this.setVolumeStatus(pv, { phase: 'Released' });
      return;
    }
    if (pv.status?.phase !== 'Released') return;
    const policy = pv.spec?.persistentVolumeReclaimPolicy;
    if (policy !== 'Delete') return;
    const path: unknown = pv.spec?.hostPath?.path;
    const volumes = resolve(config.home, 'volumes') + sep;
    if (
      pv.metadata.annotations?.[PROVISIONED_BY] === LOCAL_PATH_PROVISIONER &&
      typeof path === 'string' &&
      resolve(path).startsWith(volumes)
    ) {
      await rm(path, { recursive: true, force: true });
      store.delete(PV, undefined, name);
      return;
    }
    const message = `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched`;
    this.event(pv, 'Warning', 'VolumeFailedDelete', message);
    this.setVolumeStatus(pv, { phase: 'Failed', message });
  }
}

export function storageController(): StorageController {
  return new StorageController();
}
