import type { KObject } from '../../api-types/index.ts';
import type { StoreEvent } from '../store/store.ts';

/** A local cache of one resource with secondary indexes, fed by a store watch. */
export class Cache {
  private objs = new Map<string, KObject>();
  private idx = new Map<string, Map<string, Map<string, KObject>>>();
  /** Each indexer with its index, looked up once (apply runs for every watch event). */
  private indexes: Array<[(o: KObject) => string[], Map<string, Map<string, KObject>>]> = [];

  /**
   * `indexedOnly`: keep an object only once an index lists it, for a controller that reads the cache
   * through its indexes alone (the StatefulSet controller's pods by StatefulSet owner: a
   * ReplicaSet's thousand pods are nothing to it). `get` and `all` then see only those objects.
   */
  constructor(
    indexers: Record<string, (o: KObject) => string[]> = {},
    private readonly opts: { indexedOnly?: boolean } = {},
  ) {
    for (const [name, fn] of Object.entries(indexers)) {
      const byValue = new Map<string, Map<string, KObject>>();
      this.idx.set(name, byValue);
      this.indexes.push([fn, byValue]);
    }
  }

  apply(ev: StoreEvent): void {
    const k = ev.key ?? objKey(ev.object);
    const prev = this.objs.get(k);
    if (ev.type === 'DELETED') {
      if (prev) this.unindex(k, prev);
      this.objs.delete(k);
      return;
    }
    const o = ev.object;
    const afters = this.indexes.map(([fn]) => fn(o));
    if (!prev && this.opts.indexedOnly && afters.every((a) => a.length === 0)) return;
    this.objs.set(k, o);
    // An update mostly keeps its index values: the entry is replaced where it is.
    for (let i = 0; i < afters.length; i++) {
      const [fn, byValue] = this.indexes[i]!;
      const after = afters[i]!;
      if (prev) for (const v of fn(prev)) if (!after.includes(v)) remove(byValue, v, k);
      for (const v of after) {
        let set = byValue.get(v);
        if (!set) byValue.set(v, (set = new Map()));
        set.set(k, o);
      }
    }
  }

  get(namespace: string | undefined, name: string): KObject | undefined {
    return this.objs.get(`${namespace ?? ''}/${name}`);
  }

  by(index: string, value: string): KObject[] {
    const m = this.idx.get(index)?.get(value);
    return m ? [...m.values()] : [];
  }

  all(): IterableIterator<KObject> {
    return this.objs.values();
  }

  private unindex(k: string, o: KObject): void {
    for (const [fn, byValue] of this.indexes) for (const v of fn(o)) remove(byValue, v, k);
  }
}

function remove(byValue: Map<string, Map<string, KObject>>, v: string, k: string): void {
  const set = byValue.get(v);
  set?.delete(k);
  if (set && set.size === 0) byValue.delete(v);
}

export function objKey(o: KObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

export function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}
