/**
 * A deep copy of a JSON value (what the store holds and the API sends): plain objects and arrays
 * are copied, everything else is taken as it is. Several times cheaper than structuredClone for
 * the small objects the store copies on every write. With `shareFrozen`, frozen subtrees (the
 * store's own, deep-frozen) are shared instead of copied.
 */
export function copyJson<T>(value: T, shareFrozen = false): T {
  return copy(value, shareFrozen) as T;
}

function copy(v: unknown, shareFrozen: boolean): unknown {
  if (v === null || typeof v !== 'object' || (shareFrozen && Object.isFrozen(v))) return v;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = copy(v[i], shareFrozen);
    return out;
  }
  const proto = Object.getPrototypeOf(v);
  // Not plain JSON (a Date, a Buffer): copied as structuredClone copies it.
  if (proto !== Object.prototype && proto !== null) return structuredClone(v);
  const src = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(src)) {
    // JSON.parse makes `__proto__` an own key; assigning it would set the copy's prototype instead.
    if (k === '__proto__')
      Object.defineProperty(out, k, {
        value: copy(src[k], shareFrozen),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else out[k] = copy(src[k], shareFrozen);
  }
  return out;
}
