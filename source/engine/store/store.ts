import { randomUUID } from 'node:crypto';
import type { KObject, ObjectMeta } from '../../api-types/index.ts';
import { rfc3339, type Clock } from '../clock.ts';
import { apiVersionOf, resourceKey, type ResourceDef } from '../resources/types.ts';
import { ApiError, errors } from './errors.ts';
import { cloneJson, deepFreeze, jsonEqual, shareUnchanged } from './freeze.ts';
import { generateName, nameError } from './names.ts';
import { Persistence } from './persistence.ts';
import { statusOnlyCopy } from './status-only.ts';
import { forgetText, rememberText, storedText } from './stored-json.ts';
import type { Registry } from './registry.ts';
import { parseFieldSelector, parseLabelSelector, type FieldMatcher, type LabelMatcher } from './selectors.ts';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: EventType;
  rv: number;
  resource: string;
  object: KObject;
  /** The object before this change (MODIFIED/DELETED). */
  prev?: KObject;
  /** `namespace/name` (as `objKey` makes it): one string, hashed once, for every cache the event visits. */
  key?: string;
}

export interface Filter {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ListOptions extends Filter {
  limit?: number;
  continue?: string;
}

export interface WriteOptions {
  dryRun?: boolean;
  /** Called on the final object (after defaulting, before validation) to record its field managers. */
  fields?: (obj: KObject, old: KObject | undefined) => void;
  /**
   * The served version the object arrives in, when it is not the storage version (a multi-version
   * custom resource): its schema prunes, defaults and validates; the object is stored at the
   * storage version (conversion `None`: only apiVersion changes).
   */
  version?: ResourceDef;
}

export interface UpdateOptions extends WriteOptions {
  /** `status` takes only the status; `ephemeralcontainers` only `spec.ephemeralContainers`; `binding` spec.nodeName and the status. */
  subresource?: 'status' | 'ephemeralcontainers' | 'binding';
}

export interface DeleteOptions extends WriteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
}

/**
 * A hook run on every write of one resource, inside the API server (like an admission plugin or
 * REST storage allocator): it may change the object or throw an ApiError. `deleted` is called
 * after an object is really gone (to release what it held, e.g. a ClusterIP).
 */
export interface Admission {
  create?(obj: KObject): void;
  update?(obj: KObject, old: KObject): void;
  deleted?(obj: KObject): void;
}

export interface WatchHandle {
  stop(): void;
}

type Watcher = {
  match: (o: KObject) => boolean;
  handler: (ev: StoreEvent) => void;
};

const BASE_FIELDS = ['metadata.name', 'metadata.namespace'];

/**
 * How long the change log keeps an event for resuming watches, as upstream's watch cache does
 * (its eventFreshDuration, 75 s). Past that, and past the log's size, a resume gets 410 Gone
 * and the client lists again. The newest LOG_MIN events stay whatever their age.
 */
const LOG_AGE_MS = 75_000;
const LOG_MIN = 1_000;
/**
 * At most this many events, whatever their age (upstream's watch cache is bounded by count too).
 * The log keeps every superseded version it mentions: a burst of 10,000 pods wrote ~36,000 events
 * in 75 s, and their older versions (~0.5 KB each beyond what the current ones share) were ~10 MB
 * of the heap. A watch resuming from further back than this gets 410 Gone and lists again.
 */
const LOG_SIZE = 10_000;
/** Objects of one resource written last, whose equal subtrees and strings a new object shares. */
const RECENT = 2;

/**
 * The object store: every object in memory, written through to SQLite, one global
 * resourceVersion, and a bounded in-memory change log for watch replay.
 */
export class Store {
  private objects = new Map<string, Map<string, KObject>>();
  private rv = 0;
  private log: StoreEvent[] = [];
  /** When each event of the log was written (the clock's ms), to drop the ones past LOG_AGE_MS. */
  private logTimes: number[] = [];
  private logStart = 0;
  /** Watchers by resource: an event visits only its resource's (the garbage collector watches every kind). */
  private watchers = new Map<string, Set<Watcher>>();
  private pending: StoreEvent[] = [];
  private delivering = false;
  private readonly persistence: Persistence | undefined;
  private admissions = new Map<string, Admission[]>();

  constructor(
    readonly registry: Registry,
    readonly clock: Clock,
    opts: {
      path?: string;
      logSize?: number;
      /** How long (ms) the change log keeps an event beyond its newest LOG_MIN (75 s). */
      logAge?: number;
      /** True while serving an API request: its writes commit to disk before they return. */
      acknowledged?: () => boolean;
      /** Runs watch handlers outside the request that wrote: controllers then write as themselves. */
      isolate?: (fn: () => void) => void;
    } = {},
  ) {
    this.acknowledged = opts.acknowledged ?? (() => true);
    this.isolate = opts.isolate ?? ((fn) => fn());
    this.logSize = opts.logSize ?? LOG_SIZE;
    this.logAge = opts.logAge ?? LOG_AGE_MS;
    if (opts.path) {
      this.persistence = new Persistence(opts.path);
      const loaded = this.persistence.load();
      this.rv = loaded.rv;
      for (const row of loaded.objects) {
        for (const other of this.recent.get(row.resource) ?? []) shareUnchanged(row.object, other);
        this.bucket(row.resource).set(key(row.namespace, row.name), deepFreeze(row.object));
        this.remember(row.resource, row.object);
        if (row.resource !== 'events') rememberText(row.object, row.text);
      }
    }
    this.logStart = this.rv;
  }

  private readonly logSize: number;
  private readonly logAge: number;
  private readonly acknowledged: () => boolean;
  private readonly isolate: (fn: () => void) => void;

  /** Commit batched writes to disk now (before anything derived from them leaves the process). */
  flush(): void {
    this.persistence?.flush();
  }

  close(): void {
    this.persistence?.close();
  }

  private readers = new Map<string, () => void>();

  /**
   * Run `fn` before every read (get, list, watch) of a resource: a writer that buffers its
   * writes (the event recorder) brings them in first, so no reader sees the store behind it.
   * It runs outside any API request: its writes join the turn's batch instead of each
   * committing alone (the response still commits them before its first byte leaves).
   */
  onRead(resource: string, fn: () => void): void {
    this.readers.set(resource, fn);
  }

  private beforeRead(resource: string): void {
    const fn = this.readers.get(resource);
    if (fn) this.isolate(fn);
  }

  /** Register an admission hook for a resource (see Admission). */
  admit(resource: string, hook: Admission): void {
    const list = this.admissions.get(resource) ?? [];
    list.push(hook);
    this.admissions.set(resource, list);
  }

  /** The current global resourceVersion. */
  /** SQLite statements written so far (0 without a database), for benchmarks. */
  sqliteStatements(): number {
    return this.persistence?.statements ?? 0;
  }

  currentRV(): number {
    return this.rv;
  }

  /** The oldest resourceVersion a watch can resume from. */
  oldestRV(): number {
    return this.logStart;
  }

  def(resource: string): ResourceDef {
    const d = this.registry.get(resource);
    if (!d) throw errors.notFound('', resource, '');
    return d;
  }

  get(resource: string, namespace: string | undefined, name: string): KObject | undefined {
    this.beforeRead(resource);
    return this.objects.get(resource)?.get(key(namespace, name));
  }

  /** Get or throw the apiserver's 404. */
  mustGet(resource: string, namespace: string | undefined, name: string): KObject {
    const o = this.get(resource, namespace, name);
    if (!o) {
      const d = this.def(resource);
      throw errors.notFound(d.group, d.plural, name);
    }
    return o;
  }

  /** List objects matching the filter, ordered by namespace then name. */
  list(
    resource: string,
    opts: ListOptions = {},
  ): { items: KObject[]; resourceVersion: string; continue?: string; remaining?: number } {
    this.beforeRead(resource);
    const match = this.matcher(resource, opts);
    const all = this.sortedEntries(resource);
    let start = 0;
    if (opts.continue) {
      let after: string;
      try {
        after = JSON.parse(Buffer.from(opts.continue, 'base64url').toString()).after;
        if (typeof after !== 'string') throw new Error();
      } catch {
        throw errors.badRequest('continue key is not valid: invalid format');
      }
      start = all.findIndex(([k]) => k > after);
      if (start < 0) start = all.length;
    }
    const items: KObject[] = [];
    let last = '';
    let i = start;
    for (; i < all.length; i++) {
      const [k, o] = all[i]!;
      if (!match(o)) continue;
      if (opts.limit && opts.limit > 0 && items.length >= opts.limit) break;
      items.push(o);
      last = k;
    }
    const out: ReturnType<Store['list']> = { items, resourceVersion: String(this.rv) };
    if (i < all.length && opts.limit && items.length >= opts.limit) {
      let remaining = 0;
      for (let j = i; j < all.length; j++) if (match(all[j]![1])) remaining++;
      if (remaining > 0) {
        out.continue = Buffer.from(JSON.stringify({ after: last, rv: this.rv })).toString('base64url');
        out.remaining = remaining;
      }
    }
    return out;
  }

  /** Build a predicate for namespace + label + field selectors (400 on a bad selector). */
  matcher(resource: string, f: Filter): (o: KObject) => boolean {
    const d = this.def(resource);
    const labels: LabelMatcher | undefined = parseLabelSelector(f.labelSelector);
    const supported = new Set(BASE_FIELDS);
    let fields: FieldMatcher | undefined;
    if (f.fieldSelector) {
      if (d.fields) {
        // Discover the supported field names from an empty object.
        for (const k of Object.keys(d.fields({ metadata: {} } as KObject))) supported.add(k);
      }
      fields = parseFieldSelector(f.fieldSelector, supported);
    }
    const ns = d.namespaced ? f.namespace : undefined;
    return (o) => {
      if (ns && o.metadata.namespace !== ns) return false;
      if (labels && !labels(o.metadata.labels)) return false;
      if (fields) {
        const values: Record<string, string> = {
          'metadata.name': o.metadata.name ?? '',
          'metadata.namespace': o.metadata.namespace ?? '',
          ...(d.fields ? d.fields(o) : {}),
        };
        if (!fields(values)) return false;
      }
      return true;
    };
  }

  create(resource: string, input: KObject, opts: WriteOptions = {}): KObject {
    const d = this.def(resource);
    const v = opts.version ?? d;
    const obj = cloneJson(input) as KObject;
    obj.apiVersion = apiVersionOf(v);
    obj.kind = d.kind;
    obj.metadata ??= {};
    const meta = obj.metadata;
    if (!d.namespaced) delete meta.namespace;
    else if (!meta.namespace) meta.namespace = 'default';
    if (!meta.name && meta.generateName) {
      for (let i = 0; i < 8; i++) {
        meta.name = generateName(meta.generateName);
        if (!this.get(resource, meta.namespace, meta.name)) break;
      }
    }
    this.validateMeta(d, obj);
    if (d.namespaced) this.checkNamespaceWritable(meta.namespace!);
    if (this.get(resource, meta.namespace, meta.name!)) throw errors.alreadyExists(d.group, d.plural, meta.name!);
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(this.clock.now());
    if (d.hasStatus) meta.generation = 1;
    else delete meta.generation;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.resourceVersion;
    if (d.hasStatus) delete obj.status;
    v.prepareForCreate?.(obj);
    v.defaults?.(obj);
    opts.fields?.(obj, undefined);
    this.validate(v, obj);
    this.toStorageVersion(d, v, obj);
    if (opts.dryRun) return deepFreeze(obj);
    for (const a of this.admissions.get(resource) ?? []) a.create?.(obj);
    return this.commit('ADDED', resource, obj);
  }

  /**
   * Replace an object (PUT). A resourceVersion in the body must match (409 otherwise). With
   * `subresource: 'status'` only the status is taken; otherwise the status is kept as stored.
   */
  update(resource: string, input: KObject, opts: UpdateOptions = {}): KObject {
    const d = this.def(resource);
    const v = opts.version ?? d;
    const ns = d.namespaced ? input.metadata?.namespace || 'default' : undefined;
    const name = input.metadata?.name;
    if (!name)
      throw errors.invalid(d.group, d.kind, '', [
        { reason: 'FieldValueRequired', message: 'Required value: name is required', field: 'metadata.name' },
      ]);
    const old = this.mustGet(resource, ns, name);
    const rv = input.metadata.resourceVersion;
    if (rv && rv !== old.metadata.resourceVersion) throw errors.conflict(d.group, d.plural, name);
    const sub = opts.subresource;
    if ((sub === 'status' || sub === 'binding') && d.validateStatusUpdate && v === d)
      return this.updateStatusOnly(resource, d, old, statusOnlyCopy(old, input, sub), opts);
    let obj: KObject;
    if (opts.subresource === 'status') {
      obj = cloneJson(old) as KObject;
      obj.status = cloneJson(input.status);
    } else if (opts.subresource === 'binding') {
      // pods/binding: spec.nodeName and the status (PodScheduled) in one write, as upstream's assignPod does.
      obj = cloneJson(old) as KObject;
      obj.spec.nodeName = input.spec?.nodeName;
      obj.status = cloneJson(input.status);
    } else if (opts.subresource === 'ephemeralcontainers') {
      obj = cloneJson(old) as KObject;
      obj.spec.ephemeralContainers = cloneJson(input.spec?.ephemeralContainers);
      if (obj.spec.ephemeralContainers == null) delete obj.spec.ephemeralContainers;
    } else {
      obj = cloneJson(input) as KObject;
      obj.metadata ??= {};
      if (d.hasStatus) obj.status = old.status === undefined ? undefined : cloneJson(old.status);
      v.prepareForUpdate?.(obj, old);
    }
    obj.apiVersion = apiVersionOf(v);
    obj.kind = d.kind;
    const meta = obj.metadata;
    const oldMeta = old.metadata;
    meta.name = oldMeta.name;
    if (d.namespaced) meta.namespace = oldMeta.namespace;
    else delete meta.namespace;
    meta.uid = oldMeta.uid;
    meta.creationTimestamp = oldMeta.creationTimestamp;
    meta.generation = oldMeta.generation;
    if (oldMeta.deletionTimestamp) {
      meta.deletionTimestamp = oldMeta.deletionTimestamp;
      meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
    } else {
      delete meta.deletionTimestamp;
      delete meta.deletionGracePeriodSeconds;
    }
    if (meta.generateName === undefined && oldMeta.generateName !== undefined) meta.generateName = oldMeta.generateName;
    meta.resourceVersion = oldMeta.resourceVersion;
    v.defaults?.(obj);
    opts.fields?.(obj, old);
    this.validateMeta(d, obj);
    this.validate(v, obj, old);
    this.toStorageVersion(d, v, obj);
    if (d.hasStatus && specChanged(obj, old)) meta.generation = (oldMeta.generation ?? 1) + 1;
    return this.writeUpdate(resource, d, obj, old, opts);
  }

  /**
   * A status (or binding) write of a kind with a status strategy, as upstream's: the spec and
   * metadata are the stored ones, already defaulted and validated, so only the status is checked.
   * A binding changes spec.nodeName outside the strategy (upstream's assignPod): no generation bump.
   */
  private updateStatusOnly(resource: string, d: ResourceDef, old: KObject, obj: KObject, opts: UpdateOptions): KObject {
    opts.fields?.(obj, old);
    const causes = d.validateStatusUpdate!(obj, old);
    if (causes.length) throw errors.invalid(d.group, d.kind, old.metadata.name ?? '', causes);
    return this.writeUpdate(resource, d, obj, old, opts);
  }

  /** An update checked and ready: a delete if it finishes the object, nothing if unchanged, else admitted and committed. */
  private writeUpdate(resource: string, d: ResourceDef, obj: KObject, old: KObject, opts: UpdateOptions): KObject {
    if (this.deletesDuringUpdate(d, obj, old)) {
      if (opts.dryRun) return deepFreeze(obj);
      return this.commit('DELETED', resource, obj, old);
    }
    if (jsonEqual(obj, old)) return old;
    if (opts.dryRun) return deepFreeze(obj);
    for (const a of this.admissions.get(resource) ?? []) a.update?.(obj, old);
    return this.commit('MODIFIED', resource, obj, old);
  }

  /**
   * Read-modify-write with retries on conflict: `mutate` gets a mutable copy of the current
   * object and may return false to skip writing.
   */
  mutate(
    resource: string,
    namespace: string | undefined,
    name: string,
    mutate: (o: KObject) => boolean | void,
    opts: UpdateOptions = {},
  ): KObject {
    const cur = this.mustGet(resource, namespace, name);
    const copy = cloneJson(cur) as KObject;
    if (mutate(copy) === false) return cur;
    return this.update(resource, copy, opts);
  }

  /**
   * Delete an object. Objects with finalizers, or a grace period (pods on a node), get a
   * deletionTimestamp and stay until their finalizers are removed or their owner finishes.
   */
  delete(
    resource: string,
    namespace: string | undefined,
    name: string,
    opts: DeleteOptions = {},
  ): { object: KObject; deleted: boolean } {
    const d = this.def(resource);
    const old = this.mustGet(resource, d.namespaced ? namespace : undefined, name);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== old.metadata.uid) {
      throw errors.conflict(
        d.group,
        d.plural,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw errors.conflict(
        d.group,
        d.plural,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`,
      );
    }
    const obj = cloneJson(old) as KObject;
    const meta = obj.metadata;
    const finalizers = new Set(meta.finalizers ?? []);
    if (opts.propagationPolicy === 'Orphan') finalizers.add('orphan');
    if (opts.propagationPolicy === 'Foreground') finalizers.add('foregroundDeletion');
    const grace = d.gracePeriod ? d.gracePeriod(old, opts.gracePeriodSeconds) : 0;
    const deleting = !!meta.deletionTimestamp;
    if (finalizers.size === 0 && grace <= 0 && !specFinalizers(obj)) {
      if (opts.dryRun) return { object: old, deleted: true };
      return { object: this.commit('DELETED', resource, obj, old), deleted: true };
    }
    meta.finalizers = finalizers.size ? [...finalizers] : undefined;
    if (!meta.finalizers) delete meta.finalizers;
    const now = this.clock.now();
    if (!deleting) {
      meta.deletionTimestamp = rfc3339(now + Math.max(0, grace) * 1000);
      meta.deletionGracePeriodSeconds = Math.max(0, grace);
    } else if (grace < (meta.deletionGracePeriodSeconds ?? Infinity)) {
      // A shorter grace period (e.g. --force) moves the deadline forward.
      meta.deletionTimestamp = rfc3339(now + Math.max(0, grace) * 1000);
      meta.deletionGracePeriodSeconds = Math.max(0, grace);
    }
    d.prepareForDelete?.(obj);
    if (jsonEqual(obj, old)) return { object: old, deleted: false };
    if (opts.dryRun) return { object: deepFreeze(obj), deleted: false };
    return { object: this.commit('MODIFIED', resource, obj, old), deleted: false };
  }

  /**
   * An update completes a pending deletion once nothing holds the object (upstream's
   * ShouldDeleteDuringUpdate): no finalizers left and no grace period running. A pod still
   * stopping on its node stays, however often its kubelet writes status, until the kubelet
   * removes it; a pod that is unscheduled or finished has nothing to wait for.
   */
  private deletesDuringUpdate(d: ResourceDef, obj: KObject, old: KObject): boolean {
    if (!old.metadata.deletionTimestamp || (obj.metadata.finalizers?.length ?? 0) > 0 || specFinalizers(obj))
      return false;
    return (old.metadata.deletionGracePeriodSeconds ?? 0) === 0 || (d.gracePeriod?.(obj, undefined) ?? 0) === 0;
  }

  /** Remove an object now, whatever its finalizers (used by the kubelet and namespace cleanup). */
  forceRemove(resource: string, namespace: string | undefined, name: string): void {
    const old = this.get(resource, namespace, name);
    if (!old) return;
    this.commit('DELETED', resource, cloneJson(old) as KObject, old);
  }

  /**
   * Watch a resource. With `resourceVersion` N > 0 the change log is replayed from N (410 if
   * N is older than the log); without one (or "0") current objects arrive as ADDED first.
   */
  watch(resource: string, f: Filter & { resourceVersion?: string }, handler: (ev: StoreEvent) => void): WatchHandle {
    this.beforeRead(resource);
    const match = this.matcher(resource, f);
    const w: Watcher = { match, handler };
    const rvStr = f.resourceVersion;
    if (rvStr && rvStr !== '0') {
      const from = Number(rvStr);
      if (!Number.isInteger(from) || from < 0) throw errors.badRequest(`invalid resource version: ${rvStr}`);
      if (from < this.logStart) throw errors.expired(`too old resource version: ${from} (${this.rv})`);
      for (const ev of this.log) {
        if (ev.rv <= from || ev.resource !== resource) continue;
        const out = filterEvent(ev, match);
        if (out) handler(out);
      }
    } else {
      for (const [k, o] of this.objects.get(resource) ?? []) {
        if (match(o)) handler({ type: 'ADDED', rv: Number(o.metadata.resourceVersion), resource, object: o, key: k });
      }
    }
    let set = this.watchers.get(resource);
    if (!set) this.watchers.set(resource, (set = new Set()));
    set.add(w);
    return { stop: () => set.delete(w) };
  }

  /** All objects of every kind (for dumps and tests). */
  dump(): Array<{ resource: string; object: KObject }> {
    const out: Array<{ resource: string; object: KObject }> = [];
    for (const resource of this.readers.keys()) this.beforeRead(resource);
    for (const [resource, m] of this.objects) for (const o of m.values()) out.push({ resource, object: o });
    return out;
  }

  /** Keys in list order, kept until a key is added or removed (an update keeps the order). */
  private sortedKeys = new Map<string, string[]>();

  private sortedEntries(resource: string): Array<[string, KObject]> {
    const m = this.objects.get(resource);
    if (!m) return [];
    let keys = this.sortedKeys.get(resource);
    if (!keys) {
      keys = [...m.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      this.sortedKeys.set(resource, keys);
    }
    return keys.map((k) => [k, m.get(k)!]);
  }

  private bucket(resource: string): Map<string, KObject> {
    let m = this.objects.get(resource);
    if (!m) this.objects.set(resource, (m = new Map()));
    return m;
  }

  private commit(type: EventType, resource: string, obj: KObject, prev?: KObject): KObject {
    const rv = this.rv + 1;
    obj.metadata.resourceVersion = String(rv);
    if (!Object.isFrozen(obj)) {
      if (prev) shareUnchanged(obj, prev);
      for (const other of this.recent.get(resource) ?? []) shareUnchanged(obj, other);
    }
    deepFreeze(obj);
    const k = key(obj.metadata.namespace, obj.metadata.name!);
    // Persist first: if the disk write fails, memory and watchers are untouched.
    try {
      const now = this.persistence ? this.acknowledged() : false;
      if (type === 'DELETED')
        this.persistence?.remove(resource, obj.metadata.namespace ?? '', obj.metadata.name!, rv, now);
      else if (this.persistence) {
        const text = storedText(obj, resource !== 'events');
        this.persistence.put(resource, obj.metadata.namespace ?? '', obj.metadata.name!, text, rv, now);
      }
    } catch (e) {
      throw errors.internal(`storage write failed: ${(e as Error).message}`);
    }
    this.rv = rv;
    if (prev) forgetText(prev);
    if (type === 'ADDED' || type === 'DELETED') this.sortedKeys.delete(resource);
    if (type === 'DELETED') {
      this.bucket(resource).delete(k);
      for (const a of this.admissions.get(resource) ?? []) a.deleted?.(obj);
    } else {
      this.bucket(resource).set(k, obj);
      this.remember(resource, obj);
    }
    const ev: StoreEvent = { type, rv, resource, object: obj, prev, key: k };
    this.log.push(ev);
    this.logTimes.push(this.clock.now());
    this.trimLog();
    this.pending.push(ev);
    this.deliver();
    return obj;
  }

  /**
   * Objects are mostly alike within a resource (pods of one template, Events of one kind): a
   * new object shares the frozen subtrees and strings it has in common with the last ones
   * written, besides those of its own previous version.
   */
  private recent = new Map<string, KObject[]>();

  private remember(resource: string, obj: KObject): void {
    let list = this.recent.get(resource);
    if (!list) this.recent.set(resource, (list = []));
    list.unshift(obj);
    if (list.length > RECENT) list.pop();
  }

  /** Drop events past the log's size, and those older than its age beyond the newest LOG_MIN. */
  private trimLog(): void {
    const now = this.clock.now();
    let drop = Math.max(0, this.log.length - this.logSize);
    while (drop < this.log.length - LOG_MIN && now - this.logTimes[drop]! > this.logAge) drop++;
    if (!drop) return;
    this.logStart = this.log[drop - 1]!.rv;
    this.log.splice(0, drop);
    this.logTimes.splice(0, drop);
  }

  /** Deliver events in order, even when a handler writes to the store while being notified. */
  private deliver(): void {
    if (this.delivering) return;
    this.isolate(() => this.deliverAll());
  }

  private deliverAll(): void {
    this.delivering = true;
    try {
      while (this.pending.length) {
        const ev = this.pending.shift()!;
        for (const w of this.watchers.get(ev.resource) ?? []) {
          const out = filterEvent(ev, w.match);
          if (!out) continue;
          try {
            w.handler(out);
          } catch (e) {
            console.error('watch handler failed:', e);
          }
        }
      }
    } finally {
      this.delivering = false;
    }
  }

  private validateMeta(d: ResourceDef, obj: KObject): void {
    const meta = obj.metadata as ObjectMeta;
    const causes = [];
    if (!meta.name) {
      causes.push({
        reason: 'FieldValueRequired',
        message: 'Required value: name or generateName is required',
        field: 'metadata.name',
      });
    } else {
      const err = nameError(meta.name, d.nameFormat ?? 'subdomain');
      if (err)
        causes.push({
          reason: 'FieldValueInvalid',
          message: `Invalid value: "${meta.name}": ${err}`,
          field: 'metadata.name',
        });
    }
    if (d.namespaced && meta.namespace) {
      const err = nameError(meta.namespace, 'label');
      if (err)
        causes.push({
          reason: 'FieldValueInvalid',
          message: `Invalid value: "${meta.namespace}": ${err}`,
          field: 'metadata.namespace',
        });
    }
    for (const [field, map] of [
      ['metadata.labels', meta.labels],
      ['metadata.annotations', meta.annotations],
    ] as const) {
      if (map === undefined || map === null) continue;
      if (typeof map !== 'object' || Array.isArray(map)) {
        causes.push({ reason: 'FieldValueInvalid', message: 'Invalid value: must be a map of strings', field });
        continue;
      }
      for (const [k, v] of Object.entries(map)) {
        if (typeof v !== 'string')
          causes.push({
            reason: 'FieldValueInvalid',
            message: `Invalid value: ${JSON.stringify(v)}: must be a string`,
            field: `${field}[${k}]`,
          });
        else if (field === 'metadata.labels' && !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v))
          causes.push({
            reason: 'FieldValueInvalid',
            message: `Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
            field: `${field}`,
          });
        else if (field === 'metadata.labels' && v.length > 63)
          causes.push({
            reason: 'FieldValueInvalid',
            message: `Invalid value: "${v}": must be no more than 63 characters`,
            field,
          });
        // A qualified name: an optional DNS-subdomain prefix (at most 253) and a name of at most 63.
        const namePart = k.slice(k.indexOf('/') + 1);
        if (
          !/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(
            k,
          ) ||
          namePart.length > 63 ||
          k.length - namePart.length - 1 > 253
        )
          causes.push({
            reason: 'FieldValueInvalid',
            message: `Invalid value: "${k}": name part must consist of alphanumeric characters, '-', '_' or '.'`,
            field,
          });
      }
    }
    if (causes.length) throw errors.invalid(d.group, d.kind, meta.name ?? '', causes);
  }

  /** Conversion `None` to the storage version: only apiVersion changes, then its schema prunes and defaults. */
  private toStorageVersion(d: ResourceDef, v: ResourceDef, obj: KObject): void {
    obj.apiVersion = apiVersionOf(d);
    if (v !== d) d.defaults?.(obj);
  }

  private validate(d: ResourceDef, obj: KObject, old?: KObject): void {
    const causes = d.validate?.(obj, old) ?? [];
    if (causes.length) throw errors.invalid(d.group, d.kind, obj.metadata.name ?? '', causes);
  }

  private checkNamespaceWritable(ns: string): void {
    const nsObj = this.get('namespaces', undefined, ns);
    if (!nsObj) throw errors.notFound('', 'namespaces', ns);
    if (nsObj.metadata.deletionTimestamp) {
      throw new ApiError(
        403,
        'Forbidden',
        `unable to create new content in namespace ${ns} because it is being terminated`,
        {
          name: ns,
          kind: 'namespaces',
          causes: [
            {
              reason: 'NamespaceTerminating',
              message: `namespace ${ns} is being terminated`,
              field: 'metadata.namespace',
            },
          ],
        },
      );
    }
  }
}

function key(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/** Spec-ish content: everything but metadata and status. Changes bump metadata.generation. */
function specChanged(a: KObject, b: KObject): boolean {
  const strip = (o: KObject) => {
    const { metadata: _m, status: _s, ...rest } = o;
    return rest;
  };
  return !jsonEqual(strip(a), strip(b));
}

/** Namespaces keep `spec.finalizers` until their content is gone. */
function specFinalizers(o: KObject): boolean {
  return o.kind === 'Namespace' && (o.spec?.finalizers?.length ?? 0) > 0;
}

/** Translate a store event for one watcher: objects entering or leaving its filter. */
function filterEvent(ev: StoreEvent, match: (o: KObject) => boolean): StoreEvent | undefined {
  const now = match(ev.object);
  if (ev.type === 'ADDED') return now ? ev : undefined;
  if (ev.type === 'DELETED') return now || (ev.prev && match(ev.prev)) ? ev : undefined;
  const before = ev.prev ? match(ev.prev) : false;
  if (now && before) return ev;
  if (now && !before) return { ...ev, type: 'ADDED' };
  if (!now && before) return { ...ev, type: 'DELETED' };
  return undefined;
}

export { resourceKey };
