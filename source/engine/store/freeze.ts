import { copyJson } from './copy.ts';

/** Deep-freeze a stored object: objects handed out by the store must never be changed in place. */
export function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    // for…in, not Object.values: no array per object (stored objects are plain JSON, no inherited keys).
    for (const k in o) deepFreeze((o as Record<string, unknown>)[k]);
  }
  return o;
}

/** Structural equality of two JSON values (keys whose value is undefined count as absent). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], bb[i])) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let defined = 0;
  for (const k in ao) {
    const v = ao[k];
    if (v === undefined) continue;
    defined++;
    if (!jsonEqual(v, bo[k])) return false;
  }
  for (const k in bo) if (bo[k] !== undefined) defined--;
  return defined === 0;
}

/**
 * Let `next` reuse the subtrees and strings of `prev` (a stored, frozen object) that it equals at
 * the same place, so the versions of an object held by the watch log share memory (a status
 * write keeps one copy of the spec and metadata), and so do objects made from one template.
 * Only unfrozen parts of `next` are replaced.
 */
export function shareUnchanged(next: object, prev: object): void {
  share(next as Record<string, unknown>, prev as Record<string, unknown>);
}

/**
 * `shareUnchanged` of one unfrozen subtree, bottom up: `prev` when the subtree equals it (as
 * jsonEqual decides), else `next` with its equal parts replaced. Each node is visited once; asking
 * jsonEqual at every level before going down walked a deep status once per level.
 */
function share(next: Record<string, unknown>, prev: Record<string, unknown>): Record<string, unknown> {
  const array = Array.isArray(next);
  let equal = !array || next.length === (prev as unknown as unknown[]).length;
  let defined = 0;
  for (const k in next) {
    const a = next[k];
    if (a === undefined && !array) continue;
    defined++;
    const b = prev[k];
    if (a === b) {
      // Equal strings are often separate copies (parsed or cloned): keep one.
      if (typeof a === 'string') next[k] = b;
      continue;
    }
    if (!a || typeof a !== 'object' || !b || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) {
      equal = false;
      continue;
    }
    if (Object.isFrozen(a)) {
      if (equal) equal = jsonEqual(a, b);
      continue;
    }
    const shared = share(a as Record<string, unknown>, b as Record<string, unknown>);
    if (shared === b) next[k] = b;
    else equal = false;
  }
  if (!equal || array) return equal ? prev : next;
  for (const k in prev) if (prev[k] !== undefined) defined--;
  return defined === 0 ? prev : next;
}

/**
 * A deep copy of JSON data (plain objects and arrays) that keeps its strings: they are immutable,
 * and structuredClone makes a new copy of every one (an Event would hold its own copy of the pod's
 * name and uid). Anything else (a Date, a Map) goes through structuredClone.
 */
export function cloneJson<T>(value: T): T {
  return copyJson(value);
}
