import { ApiError } from '../../store/errors.ts';
import { FieldSet, pathKey, type Path, type PathEl } from './fieldset.ts';
import { ANY, isAtomic, type TypeNode } from './types.ts';

type Obj = Record<string, unknown>;

export const isPlainObject = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** JSON with object keys sorted, so equal values compare equal. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isPlainObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => v[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export function childType(t: TypeNode, key: string): TypeNode {
  if (t.k === 'struct') return t.field(key);
  if (t.k === 'map') return t.elem;
  return ANY;
}

/** The path element of a list's element: `k:{…}` for keyed lists, `v:…` for sets, else `i:N`. */
export function elementOf(t: TypeNode, item: unknown, index: number, strict = false): PathEl {
  if (t.k === 'list' && t.listType === 'map' && t.keys) {
    const keys: Obj = {};
    for (const k of [...t.keys].sort()) {
      const v = isPlainObject(item) && item[k] !== undefined ? item[k] : t.keyDefaults?.[k];
      if (v === undefined) {
        if (strict) {
          throw new ApiError(
            422,
            'Invalid',
            `associative list with keys has an element that omits key field ${JSON.stringify(k)} (and doesn't have default value)`,
          );
        }
        return `i:${index}`;
      }
      keys[k] = v;
    }
    return `k:${JSON.stringify(keys)}`;
  }
  if (t.k === 'list' && t.listType === 'set') return `v:${JSON.stringify(item)}`;
  return `i:${index}`;
}

export interface Fields {
  set: FieldSet;
  /** The value of every leaf member, canonical JSON, by path key. */
  values: Map<string, string>;
}

/** Every field of a value as ownership sees it: leaves, set/keyed-list elements, non-empty maps. */
export function toFields(value: unknown, t: TypeNode, strict = false): Fields {
  const out: Fields = { set: new FieldSet(), values: new Map() };
  const leaf = (path: Path, v: unknown): void => {
    out.set.add(path);
    out.values.set(pathKey(path), canonical(v));
  };
  const walk = (v: unknown, type: TypeNode, path: PathEl[]): void => {
    if (isAtomic(type) || v === null || typeof v !== 'object') return leaf(path, v);
    if (Array.isArray(v)) {
      if (type.k !== 'list' || v.length === 0) return leaf(path, v);
      v.forEach((item, i) => {
        const p = [...path, elementOf(type, item, i, strict)];
        if (type.listType === 'set' || !isPlainObject(item)) return leaf(p, item);
        out.set.add(p);
        children(item, type.elem, p);
      });
      return;
    }
    const keys = Object.keys(v).filter((k) => (v as Obj)[k] !== undefined);
    if (keys.length === 0 || type.k === 'list') return leaf(path, v);
    if (type.k === 'map') out.set.add(path);
    children(v as Obj, type, path);
  };
  const children = (v: Obj, type: TypeNode, path: PathEl[]): void => {
    for (const k of Object.keys(v)) {
      if (v[k] === undefined) continue;
      walk(v[k], childType(type, k), [...path, `f:${k}`]);
    }
  };
  if (isPlainObject(value)) children(value, t, []);
  return out;
}

/** What a write changed: fields added or given another value, and fields removed. */
export function compare(
  before: unknown,
  after: unknown,
  t: TypeNode,
): { changed: FieldSet; removed: FieldSet; after: Fields } {
  const a = toFields(before, t);
  const b = toFields(after, t);
  // A field that appears as null was not set by anyone (Go's zero value serialises the same way).
  const changed = FieldSet.of(
    b.set
      .difference(a.set)
      .values()
      .filter((p) => b.values.get(pathKey(p)) !== 'null'),
  );
  for (const p of b.set.values()) {
    const k = pathKey(p);
    const bv = b.values.get(k);
    if (bv !== undefined && a.set.has(p) && a.values.get(k) !== bv) changed.add(p);
  }
  return { changed, removed: a.set.difference(b.set), after: b };
}

function findIndex(list: unknown[], el: PathEl, t: TypeNode): number {
  return list.findIndex((item, i) => elementOf(t, item, i) === el);
}

/** Remove the field at `path` from `obj` (in place); missing paths are ignored. */
export function removePath(obj: Obj, path: Path, t: TypeNode): void {
  let cur: unknown = obj;
  let type = t;
  for (let i = 0; i < path.length; i++) {
    const el = path[i]!;
    const last = i === path.length - 1;
    if (el.startsWith('f:')) {
      if (!isPlainObject(cur)) return;
      const name = el.slice(2);
      if (last) {
        delete cur[name];
        return;
      }
      type = childType(type, name);
      cur = cur[name];
    } else {
      if (!Array.isArray(cur)) return;
      const idx = findIndex(cur, el, type);
      if (idx < 0) return;
      if (last) {
        cur.splice(idx, 1);
        return;
      }
      cur = cur[idx];
      type = type.k === 'list' ? type.elem : ANY;
    }
  }
}

/** Server-side apply's merge: the applied configuration over the live object, lists merged per their type. */
export function mergeApplied(live: unknown, applied: unknown, t: TypeNode): unknown {
  if (isAtomic(t) || applied === null || typeof applied !== 'object') return structuredClone(applied);
  if (Array.isArray(applied)) {
    if (t.k !== 'list' || t.listType === 'atomic') return structuredClone(applied);
    const out: unknown[] = Array.isArray(live) ? structuredClone(live) : [];
    applied.forEach((item, i) => {
      const el = elementOf(t, item, i, true);
      const idx = t.listType === 'set' ? out.findIndex((x) => canonical(x) === canonical(item)) : findIndex(out, el, t);
      if (idx < 0) out.push(structuredClone(item));
      else if (t.listType === 'map') out[idx] = mergeApplied(out[idx], item, t.elem);
    });
    return out;
  }
  const out: Obj = isPlainObject(live) ? structuredClone(live) : {};
  for (const [k, v] of Object.entries(applied)) {
    if (v === undefined) continue;
    out[k] = mergeApplied(out[k], v, childType(t, k));
  }
  return out;
}
