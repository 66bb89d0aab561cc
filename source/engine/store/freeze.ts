/** Deep-freeze a stored object: objects handed out by the store must never be changed in place. */
export function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}

/** Structural equality of two JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => jsonEqual(ao[k], bo[k]));
}

/**
 * Let `next` reuse the subtrees of `prev` (a stored, frozen version) that it equals, so the
 * versions of an object held by the watch log share memory: a status write keeps one copy of
 * the spec and metadata. Only unfrozen parts of `next` are replaced.
 */
export function shareUnchanged(next: object, prev: object): void {
  const n = next as Record<string, unknown>;
  const p = prev as Record<string, unknown>;
  for (const k of Object.keys(n)) {
    const a = n[k];
    const b = p[k];
    if (a === b || !a || typeof a !== 'object' || !b || typeof b !== 'object' || Object.isFrozen(a)) continue;
    if (Array.isArray(a) !== Array.isArray(b)) continue;
    if (jsonEqual(a, b)) n[k] = b;
    else shareUnchanged(a, b);
  }
}
