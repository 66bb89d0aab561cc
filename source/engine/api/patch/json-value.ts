import { ApiError } from '../../store/errors.ts';

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

/** Deeper patches are refused: the merge algorithms recurse once per level. */
export const MAX_DEPTH = 1000;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own keys only: `constructor`, `__proto__` and friends must never resolve through the prototype. */
export function hasOwn(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

export function getOwn(o: JsonObject, key: string): Json | undefined {
  return hasOwn(o, key) ? o[key] : undefined;
}

/** Assignment to `__proto__` would swap the prototype; define it as a plain data property instead. */
export function setOwn(o: JsonObject, key: string, value: Json): void {
  if (key === '__proto__') {
    Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    o[key] = value;
  }
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

/** A short rendering of a value for error messages. */
export function brief(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 200 ? s.slice(0, 200) + '…' : s;
}

/**
 * Accepts a parsed body or raw JSON text, and checks it is plain JSON no deeper than MAX_DEPTH.
 * Iterative, so hostile nesting (or a cycle, from a programmatic caller) cannot blow the stack.
 */
export function readPatchBody(body: unknown): Json {
  let value = body;
  if (typeof value === 'string' || value instanceof Uint8Array) {
    const text = typeof value === 'string' ? value : Buffer.from(value).toString('utf8');
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw badRequest(`error decoding patch: ${(err as Error).message}`);
    }
  }
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw badRequest('error decoding patch: numbers must be finite');
      continue;
    }
    if (typeof v !== 'object') throw badRequest(`error decoding patch: unsupported value of type ${typeof v}`);
    if (depth >= MAX_DEPTH) throw badRequest(`error decoding patch: nested deeper than ${MAX_DEPTH} levels`);
    if (Array.isArray(v)) {
      for (const item of v) stack.push([item, depth + 1]);
    } else {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        throw badRequest('error decoding patch: only plain JSON objects are allowed');
      }
      for (const key of Object.keys(v)) stack.push([(v as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return value as Json;
}

/** Deep copy of a value already checked by readPatchBody (so recursion depth is bounded). */
export function cloneJson<T extends Json>(v: T): T {
  if (Array.isArray(v)) return v.map((item) => cloneJson(item)) as T;
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const key of Object.keys(v)) setOwn(out, key, cloneJson(v[key]));
    return out as T;
  }
  return v;
}

export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => hasOwn(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}

/** A Map key that distinguishes `1` from `"1"` (Go compares interface values by type and value). */
export function scalarKey(v: Json | undefined): string {
  if (v !== null && typeof v === 'object') return 'j:' + JSON.stringify(v);
  return `${typeof v}:${String(v)}`;
}
