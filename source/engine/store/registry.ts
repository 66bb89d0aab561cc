import { resourceKey, type ResourceDef } from '../resources/types.ts';

const gvr = (group: string, version: string, plural: string): string => `${group}/${version}/${plural}`;
const gvk = (d: ResourceDef): string => `${d.group}/${d.version}/${d.kind}`;

/**
 * Every resource kind the engine serves. A kind has one storage def (found by storage key, what
 * the store keeps objects as) and one def per served version (found by group+version+plural or
 * apiVersion+kind): built-ins are served at their storage version only; a multi-version custom
 * resource adds the other versions with `addVersion`, and its storage version may be unserved.
 */
export class Registry {
  private byKey = new Map<string, ResourceDef>();
  private byGvk = new Map<string, ResourceDef>();
  private byGvr = new Map<string, ResourceDef>();
  /** Bumped on every change, so documents derived from the registry (OpenAPI) know to rebuild. */
  revision = 0;

  constructor(defs: ResourceDef[] = []) {
    defs.forEach((d) => this.add(d));
  }

  /** A kind's storage def; it is also served unless `served` is false. */
  add(def: ResourceDef, served = true): void {
    this.byKey.set(resourceKey(def), def);
    this.byGvk.set(gvk(def), def);
    if (served) this.byGvr.set(gvr(def.group, def.version, def.plural), def);
    this.revision++;
  }

  /** Another served version of a kind whose storage def is registered (same group and plural). */
  addVersion(def: ResourceDef): void {
    this.byGvk.set(gvk(def), def);
    this.byGvr.set(gvr(def.group, def.version, def.plural), def);
    this.revision++;
  }

  private removalListeners = new Map<ResourceDef, Set<() => void>>();

  /** Call `f` when `def` stops being served (watches of a deleted custom kind end); returns an unsubscribe. */
  onRemove(def: ResourceDef, f: () => void): () => void {
    const set = this.removalListeners.get(def) ?? new Set();
    set.add(f);
    this.removalListeners.set(def, set);
    return () => set.delete(f);
  }

  /** Stop serving a kind or one version of it (a deleted or changed CustomResourceDefinition). */
  remove(def: ResourceDef): void {
    const listeners = this.removalListeners.get(def);
    this.removalListeners.delete(def);
    listeners?.forEach((f) => f());
    if (this.byKey.get(resourceKey(def)) === def) this.byKey.delete(resourceKey(def));
    if (this.byGvk.get(gvk(def)) === def) this.byGvk.delete(gvk(def));
    const r = gvr(def.group, def.version, def.plural);
    if (this.byGvr.get(r) === def) this.byGvr.delete(r);
    this.revision++;
  }

  get(key: string): ResourceDef | undefined {
    return this.byKey.get(key);
  }

  require(key: string): ResourceDef {
    const d = this.byKey.get(key);
    if (!d) throw new Error(`unknown resource ${key}`);
    return d;
  }

  /** The def serving group/version/plural, if that version is served. */
  byPlural(group: string, version: string, plural: string): ResourceDef | undefined {
    return this.byGvr.get(gvr(group, version, plural));
  }

  byKind(apiVersion: string, kind: string): ResourceDef | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    return this.byGvk.get(`${group}/${version}/${kind}`);
  }

  /** One def per kind: the storage defs. */
  all(): ResourceDef[] {
    return [...this.byKey.values()];
  }

  /** One def per served group-version-resource (discovery, OpenAPI). */
  served(): ResourceDef[] {
    return [...this.byGvr.values()];
  }
}
