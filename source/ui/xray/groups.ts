import type { KObject } from '../../api-types/index.ts';

/**
 * Objects filed under keys (an owner's uid, a node's name), one object under several keys at
 * most once each; each group's members are sorted when asked for and kept sorted until the group
 * gains or loses a member, or one moves (a replaced object that sorts elsewhere).
 */
export class Groups {
  private readonly groups = new Map<string, Map<string, KObject>>();
  private readonly sorted = new Map<string, KObject[]>();

  constructor(private readonly order: (a: KObject, b: KObject) => number) {}

  set(key: string, uid: string, obj: KObject): void {
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = new Map()));
    const old = g.get(uid);
    g.set(uid, obj);
    const sorted = this.sorted.get(key);
    if (!sorted) return;
    // The same place in the order: swap it in (a pod's status changed), no sort.
    const i = old && this.order(old, obj) === 0 ? sorted.indexOf(old) : -1;
    if (i >= 0) sorted[i] = obj;
    else this.sorted.delete(key);
  }

  delete(key: string, uid: string): void {
    const g = this.groups.get(key);
    if (!g?.delete(uid)) return;
    if (g.size === 0) this.groups.delete(key);
    this.sorted.delete(key);
  }

  /** The members in order; the array is the group's own (not to be changed). */
  list(key: string): readonly KObject[] {
    let l = this.sorted.get(key);
    if (!l) {
      const g = this.groups.get(key);
      if (!g) return [];
      this.sorted.set(key, (l = [...g.values()].sort(this.order)));
    }
    return l;
  }
}
