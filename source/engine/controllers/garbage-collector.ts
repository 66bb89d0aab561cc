import type { KObject, OwnerReference } from '../../api-types/index.ts';
import { resourceKey } from '../resources/types.ts';
import { ApiError } from '../store/errors.ts';
import type { DeleteOptions, StoreEvent } from '../store/store.ts';
import { Controller, inBatches } from '../framework/controller.ts';
import { parseTime } from './pods.ts';

interface Ref {
  resource: string;
  namespace: string | undefined;
  name: string;
}

const EVENT_TTL_MS = 60 * 60_000;

const refKey = (r: Ref) => `${r.resource}|${r.namespace ?? ''}|${r.name}`;

function parseRefKey(key: string): Ref {
  const [resource, namespace, name] = key.split('|') as [string, string, string];
  return { resource, namespace: namespace || undefined, name };
}

/**
 * The garbage collector: dependents follow their owners (ownerReferences). Background: once
 * every owner is gone the dependent is deleted. Foreground (`foregroundDeletion` finalizer):
 * dependents are deleted first and the owner goes when no blocking dependent is left. Orphan
 * (`orphan` finalizer): dependents lose the ownerReference, then the owner goes. Also deletes
 * Events older than an hour.
 */
export class GarbageCollector extends Controller {
  readonly name = 'garbage-collector';
  private byUid = new Map<string, Ref>();
  private owners = new Map<string, string[]>(); // dependent refKey -> owner uids
  private dependents = new Map<string, Set<string>>(); // owner uid -> dependent refKeys

  protected init(): void {
    for (const def of this.store.registry.all()) {
      const resource = resourceKey(def);
      if (resource === 'events') continue;
      this.watch(resource, (ev) => this.onEvent(resource, ev));
    }
    this.every(
      10 * 60_000,
      () => void this.expireEvents().catch((e) => this.ctx.log(`garbage-collector: expiring events: ${e}`)),
    );
  }

  private onEvent(resource: string, ev: StoreEvent): void {
    const o = ev.object;
    const ref: Ref = { resource, namespace: o.metadata.namespace, name: o.metadata.name! };
    const key = refKey(ref);
    const uid = o.metadata.uid!;
    if (ev.type === 'DELETED') {
      this.byUid.delete(uid);
      this.setOwners(key, []);
      for (const dep of this.dependents.get(uid) ?? []) this.queue.add(dep);
      this.wakeForegroundOwners(o);
      return;
    }
    this.byUid.set(uid, ref);
    const uids = (o.metadata.ownerReferences ?? []).map((r) => r.uid);
    const before = this.owners.get(key) ?? [];
    const refsChanged = uids.length !== before.length || uids.some((u, i) => u !== before[i]);
    if (refsChanged) this.setOwners(key, uids);
    if (uids.length && (ev.type === 'ADDED' || refsChanged)) this.queue.add(key);
    const fin = o.metadata.finalizers ?? [];
    if (o.metadata.deletionTimestamp && (fin.includes('orphan') || fin.includes('foregroundDeletion')))
      this.queue.add(key);
    if (o.metadata.deletionTimestamp && !ev.prev?.metadata.deletionTimestamp) this.wakeForegroundOwners(o);
  }

  /** A dependent left or started terminating: owners waiting on it in the foreground look again. */
  private wakeForegroundOwners(o: KObject): void {
    for (const r of o.metadata.ownerReferences ?? []) {
      const ref = this.byUid.get(r.uid);
      if (ref) this.queue.add(refKey(ref));
    }
  }

  private setOwners(key: string, uids: string[]): void {
    for (const u of this.owners.get(key) ?? []) {
      const set = this.dependents.get(u);
      set?.delete(key);
      if (set && !set.size) this.dependents.delete(u);
    }
    if (!uids.length) {
      this.owners.delete(key);
      return;
    }
    this.owners.set(key, uids);
    for (const u of uids) {
      let set = this.dependents.get(u);
      if (!set) this.dependents.set(u, (set = new Set()));
      set.add(key);
    }
  }

  private get(ref: Ref): KObject | undefined {
    return this.store.get(ref.resource, ref.namespace, ref.name);
  }

  private dependentsOf(uid: string): Array<{ ref: Ref; obj: KObject }> {
    const out: Array<{ ref: Ref; obj: KObject }> = [];
    for (const key of this.dependents.get(uid) ?? []) {
      const ref = parseRefKey(key);
      const obj = this.get(ref);
      if (obj) out.push({ ref, obj });
    }
    return out;
  }

  protected sync(key: string): void {
    const ref = parseRefKey(key);
    const obj = this.get(ref);
    if (!obj) return;
    const fin = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp && fin.includes('orphan')) return this.orphanDependents(ref, obj);
    if (obj.metadata.deletionTimestamp && fin.includes('foregroundDeletion'))
      return this.deleteDependentsFirst(ref, obj);
    if (obj.metadata.ownerReferences?.length && !obj.metadata.deletionTimestamp) this.checkOwners(ref, obj);
  }

  private orphanDependents(ref: Ref, owner: KObject): void {
    const uid = owner.metadata.uid!;
    for (const dep of this.dependentsOf(uid)) {
      this.tolerateGone(() =>
        this.store.mutate(dep.ref.resource, dep.ref.namespace, dep.ref.name, (o) => {
          const refs = (o.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
          if (refs.length) o.metadata.ownerReferences = refs;
          else delete o.metadata.ownerReferences;
        }),
      );
    }
    this.removeFinalizer(ref, 'orphan');
  }

  private deleteDependentsFirst(ref: Ref, owner: KObject): void {
    const uid = owner.metadata.uid!;
    let blocking = 0;
    for (const dep of this.dependentsOf(uid)) {
      let gone = false;
      if (!dep.obj.metadata.deletionTimestamp) {
        const policy = this.dependents.has(dep.obj.metadata.uid!) ? 'Foreground' : 'Background';
        gone = this.delete(dep.ref, { propagationPolicy: policy });
      }
      const r = dep.obj.metadata.ownerReferences?.find((x) => x.uid === uid);
      if (!gone && r?.blockOwnerDeletion) blocking++;
    }
    if (blocking === 0) this.removeFinalizer(ref, 'foregroundDeletion');
  }

  /** Upstream attemptToDeleteItem: delete a dependent whose owners are all gone (or going). */
  private checkOwners(ref: Ref, obj: KObject): void {
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const r of obj.metadata.ownerReferences ?? []) {
      const def = this.store.registry.byKind(r.apiVersion, r.kind);
      if (!def) {
        solid.push(r); // a kind we don't serve: leave it alone
        continue;
      }
      const oref = this.byUid.get(r.uid);
      const owner = oref && oref.resource === resourceKey(def) ? this.get(oref) : undefined;
      const sameScope = owner && (!def.namespaced || owner.metadata.namespace === obj.metadata.namespace);
      if (!owner || !sameScope) dangling.push(r);
      else if (owner.metadata.deletionTimestamp && owner.metadata.finalizers?.includes('foregroundDeletion'))
        waiting.push(r);
      else solid.push(r);
    }
    if (solid.length) {
      if (!dangling.length && !waiting.length) return;
      const drop = new Set([...dangling, ...waiting].map((r) => r.uid));
      this.tolerateGone(() =>
        this.store.mutate(ref.resource, ref.namespace, ref.name, (o) => {
          o.metadata.ownerReferences = (o.metadata.ownerReferences ?? []).filter((r) => !drop.has(r.uid));
        }),
      );
      return;
    }
    if (waiting.length) {
      this.delete(ref, { propagationPolicy: this.dependents.has(obj.metadata.uid!) ? 'Foreground' : 'Background' });
      return;
    }
    const fin = obj.metadata.finalizers ?? [];
    const policy = fin.includes('orphan') ? 'Orphan' : fin.includes('foregroundDeletion') ? 'Foreground' : 'Background';
    this.delete(ref, { propagationPolicy: policy });
  }

  /** Delete; true when the object is gone now. */
  private delete(ref: Ref, opts: DeleteOptions): boolean {
    try {
      return this.store.delete(ref.resource, ref.namespace, ref.name, opts).deleted;
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return true;
      throw e;
    }
  }

  private removeFinalizer(ref: Ref, finalizer: string): void {
    this.tolerateGone(() =>
      this.store.mutate(ref.resource, ref.namespace, ref.name, (o) => {
        if (!o.metadata.finalizers?.includes(finalizer)) return false;
        o.metadata.finalizers = o.metadata.finalizers.filter((f) => f !== finalizer);
      }),
    );
  }

  private tolerateGone(fn: () => unknown): void {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 404)) throw e;
    }
  }

  private async expireEvents(): Promise<void> {
    const cutoff = this.clock.now() - EVENT_TTL_MS;
    const old = this.store.list('events').items.filter((e) => {
      const t = parseTime(e.lastTimestamp) || parseTime(e.eventTime) || parseTime(e.metadata.creationTimestamp);
      return t < cutoff;
    });
    await inBatches(old, 200, (e) =>
      this.delete({ resource: 'events', namespace: e.metadata.namespace, name: e.metadata.name! }, {}),
    );
  }
}
