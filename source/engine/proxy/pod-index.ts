/**
 * Which items (service ports) list which pods, by `namespace/name` and by UID: what to look at
 * again when a pod changes.
 */
export class PodIndex<T> {
  private readonly byKey = new Map<string, Set<T>>();
  private readonly keysOf = new Map<T, string[]>();

  /** `item` lists exactly these keys from now on. */
  set(item: T, keys: string[]): void {
    this.delete(item);
    if (keys.length === 0) return;
    this.keysOf.set(item, keys);
    for (const k of keys) {
      let s = this.byKey.get(k);
      if (!s) this.byKey.set(k, (s = new Set()));
      s.add(item);
    }
  }

  delete(item: T): void {
    for (const k of this.keysOf.get(item) ?? []) {
      const s = this.byKey.get(k);
      s?.delete(item);
      if (s?.size === 0) this.byKey.delete(k);
    }
    this.keysOf.delete(item);
  }

  get(key: string): ReadonlySet<T> | undefined {
    return this.byKey.get(key);
  }
}
