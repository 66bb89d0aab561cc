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
 * Let `next` reuse the subtrees and strings of `prev` (a stored, frozen object) that it equals at
 * the same place, so the versions of an object held by the watch log share memory (a status
 * write keeps one copy of the spec and metadata), and so do objects made from one template.
 * Only unfrozen parts of `next` are replaced.
 */
export function shareUnchanged(next: object, prev: object): void {
  const n = next as Record<string, unknown>;
  const p = prev as Record<string, unknown>;
  for (const k of Object.keys(n)) {
    const a = n[k];
    const b = p[k];
    if (a === b) {
      // Equal strings are often separate copies (parsed or cloned): keep one.
      if (typeof a === 'string') n[k] = b;
      continue;
    }
    if (!a || typeof a !== 'object' || !b || typeof b !== 'object' || Object.isFrozen(a)) continue;
    if (Array.isArray(a) !== Array.isArray(b)) continue;
    if (jsonEqual(a, b)) n[k] = b;
    else shareUnchanged(a, b);
  }
}

/**
 * A deep copy of JSON data (plain objects and arrays) that keeps its strings: they are immutable,
 * and structuredClone makes a new copy of every one (an Event would hold its own copy of the pod's
 * name and uid). Anything else (a Date, a Map) goes through structuredClone.
 */
export function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    const v = cloneJson((value as Record<string, unknown>)[k]);
    // An own "__proto__" (JSON.parse makes one) stays a property, as structuredClone keeps it.
    if (k === '__proto__')
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out as T;
}
