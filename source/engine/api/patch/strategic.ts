import {
  badRequest,
  brief,
  getOwn,
  hasOwn,
  isObject,
  scalarKey,
  setOwn,
  type Json,
  type JsonObject,
} from './json-value.ts';
import { orderMerged } from './list-order.ts';
import { fieldMeta, type FieldMeta } from './schema.ts';

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';

/** Returned by a merge when the patch deletes the value (`$patch: delete`). */
const DELETED = Symbol('deleted');
type Merged<T> = T | typeof DELETED;

/**
 * Kubernetes strategic merge patch. `doc` is the caller's private copy (mutated and returned);
 * `rootType` names the kind's entry in the schema table, undefined for a schema-less merge
 * (maps merge, lists replace, `null` deletes, directives still honoured).
 */
export function applyStrategicPatch(doc: JsonObject, patch: Json, rootType: string | undefined): JsonObject {
  if (!isObject(patch)) throw badRequest('a strategic merge patch must be a JSON object');
  const result = mergeMap(doc, patch, rootType, '');
  if (result === DELETED) throw badRequest('a strategic merge patch cannot delete the whole object');
  return result;
}

function at(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function mergeMap(orig: JsonObject, patch: JsonObject, type: string | undefined, path: string): Merged<JsonObject> {
  if (hasOwn(patch, PATCH)) {
    const directive = patch[PATCH];
    if (directive === 'delete') return DELETED;
    if (directive === 'replace') {
      const { [PATCH]: _, ...rest } = patch;
      return mergeMap({}, rest, type, path);
    }
    if (directive !== 'merge')
      throw badRequest(`unknown patch type: ${brief(directive)} in map at ${path || '<root>'}`);
  }
  if (hasOwn(patch, RETAIN_KEYS)) retainKeys(orig, patch, path);

  const done = new Set<string>([PATCH, RETAIN_KEYS]);
  const deletions: string[] = [];
  for (const key of Object.keys(patch)) {
    if (key.startsWith(SET_ORDER)) {
      setElementOrder(orig, patch, key, type, path, done);
      done.add(key);
    } else if (key.startsWith(DELETE_FROM)) {
      deletions.push(key);
      done.add(key);
    }
  }
  for (const key of Object.keys(patch)) {
    if (!done.has(key)) mergeField(orig, key, patch[key], type, path);
  }
  // After the merges, so that a list both added to and deleted from ends up without the item.
  for (const key of deletions) deleteFromPrimitiveList(orig, key, patch[key], path);
  return orig;
}

function mergeField(orig: JsonObject, key: string, value: Json, type: string | undefined, path: string): void {
  if (value === null) {
    delete orig[key];
    return;
  }
  const meta = fieldMeta(type, key);
  const current = getOwn(orig, key);
  const p = at(path, key);
  let merged: Merged<Json>;
  if (isObject(current) && isObject(value) && meta?.strategy !== 'replace') {
    merged = mergeMap(current, value, meta?.type, p);
  } else if (Array.isArray(current) && Array.isArray(value) && meta?.strategy === 'merge') {
    merged = mergeList(current, value, meta, p);
  } else {
    merged = fresh(value, meta, p);
  }
  if (merged === DELETED) delete orig[key];
  else setOwn(orig, key, merged);
}

/** A patch value that replaces (or creates) a field: its directives are applied against nothing. */
function fresh(value: Json, meta: FieldMeta | undefined, path: string): Merged<Json> {
  if (isObject(value)) return mergeMap({}, value, meta?.type, path);
  if (!Array.isArray(value)) return value;
  if (meta?.strategy === 'merge') return mergeList([], value, meta, path);
  const out: Json[] = [];
  value.forEach((item, i) => {
    const v = Array.isArray(item) || isObject(item) ? fresh(item, { type: meta?.type }, `${path}[${i}]`) : item;
    if (v !== DELETED) out.push(v);
  });
  return out;
}

function elementKind(lists: Json[][], path: string): 'object' | 'primitive' {
  let kind: 'object' | 'primitive' | undefined;
  for (const list of lists) {
    for (const item of list) {
      if (Array.isArray(item)) throw badRequest(`lists of lists are not supported (at ${path})`);
      const k = isObject(item) ? 'object' : 'primitive';
      if (kind !== undefined && k !== kind) throw badRequest(`list element types are not identical (at ${path})`);
      kind = k;
    }
  }
  return kind ?? 'primitive';
}

function mergeList(orig: Json[], patch: Json[], meta: FieldMeta, path: string): Json[] {
  if (orig.length === 0 && patch.length === 0) return orig;
  if (elementKind([orig, patch], path) === 'primitive') {
    const seen = new Set<string>();
    const merged: Json[] = [];
    for (const v of [...orig, ...patch]) {
      const id = scalarKey(v);
      if (!seen.has(id)) {
        seen.add(id);
        merged.push(v);
      }
    }
    return orderMerged(merged, patch, orig, undefined);
  }
  const key = meta.mergeKey;
  if (key === undefined) throw badRequest(`cannot merge lists without merge key for ${path}`);

  const doomed = new Set<string>();
  let replace = false;
  const items: JsonObject[] = [];
  for (const item of patch as JsonObject[]) {
    const directive = getOwn(item, PATCH);
    if (directive === undefined || directive === 'merge') {
      items.push(item);
    } else if (directive === 'delete') {
      if (!hasOwn(item, key)) throw missingKey(item, key, path);
      doomed.add(scalarKey(item[key]));
    } else if (directive === 'replace') {
      replace = true;
    } else {
      throw badRequest(`unknown patch type: ${brief(directive)} in list element at ${path}`);
    }
  }
  if (replace) return fresh(items, { type: meta.type }, path) as Json[];
  const base =
    doomed.size === 0 ? orig : orig.filter((o) => !(isObject(o) && hasOwn(o, key) && doomed.has(scalarKey(o[key]))));

  const result = base.slice();
  const index = new Map<string, number>();
  result.forEach((o, i) => {
    if (isObject(o) && hasOwn(o, key) && !index.has(scalarKey(o[key]))) index.set(scalarKey(o[key]), i);
  });
  for (const item of items) {
    if (!hasOwn(item, key)) throw missingKey(item, key, path);
    const id = scalarKey(item[key]);
    const p = `${path}[${key}=${brief(item[key])}]`;
    const found = index.get(id);
    const merged = mergeMap(found === undefined ? {} : (result[found] as JsonObject), item, meta.type, p);
    if (merged === DELETED) continue; // unreachable: element-level $patch was handled above
    if (found === undefined) {
      index.set(id, result.length);
      result.push(merged);
    } else {
      result[found] = merged;
    }
  }
  return orderMerged(result, items, base, key);
}

function missingKey(item: JsonObject, key: string, path: string) {
  return badRequest(`map: ${brief(item)} does not contain declared merge key: ${key} (at ${path})`);
}

function retainKeys(orig: JsonObject, patch: JsonObject, path: string): void {
  const list = patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw badRequest(`invalid patch format of retainKeys (at ${path || '<root>'})`);
  const keep = new Set(list.filter((k): k is string => typeof k === 'string'));
  for (const key of Object.keys(patch)) {
    if (patch[key] === null || key === PATCH || key === RETAIN_KEYS) continue;
    if (key.startsWith(SET_ORDER) || key.startsWith(DELETE_FROM)) continue;
    if (!keep.has(key)) {
      throw badRequest(`invalid patch format of retainKeys: "${key}" is not in $retainKeys (at ${path || '<root>'})`);
    }
  }
  for (const key of Object.keys(orig)) if (!keep.has(key)) delete orig[key];
}

function setElementOrder(
  orig: JsonObject,
  patch: JsonObject,
  directiveKey: string,
  type: string | undefined,
  path: string,
  done: Set<string>,
): void {
  const field = directiveKey.slice(SET_ORDER.length);
  const order = patch[directiveKey];
  const p = at(path, field);
  if (field === '' || !Array.isArray(order)) throw badRequest(`invalid patch format of setElementOrder list (at ${p})`);
  const meta = fieldMeta(type, field);
  const mergeKey = meta?.mergeKey;
  if (mergeKey !== undefined && order.some((o) => !isObject(o) || !hasOwn(o, mergeKey))) {
    throw badRequest(
      `invalid patch format of setElementOrder list: every item needs the merge key "${mergeKey}" (at ${p})`,
    );
  }
  const patchList = getOwn(patch, field);
  if (patchList === null) return; // the list is being deleted; the ordinary merge does that
  if (patchList !== undefined && !Array.isArray(patchList))
    throw badRequest(`invalid patch format of setElementOrder list (at ${p})`);
  if (patchList !== undefined) checkOrderConsistency(patchList, order, mergeKey, p);

  const before = getOwn(orig, field);
  const live = Array.isArray(before) ? before : [];
  if (patchList !== undefined) {
    mergeField(orig, field, patchList, type, path);
    done.add(field);
  }
  const merged = getOwn(orig, field);
  if (!Array.isArray(merged)) return;
  if (mergeKey === undefined && merged.some((v) => isObject(v) || Array.isArray(v))) return;
  setOwn(orig, field, orderMerged(merged, order, live, mergeKey));
}

/** Upstream rule: patch items (deletions aside) must appear in the same relative order as in `$setElementOrder`. */
function checkOrderConsistency(patchList: Json[], order: Json[], mergeKey: string | undefined, path: string): void {
  const id = (v: Json) => scalarKey(mergeKey !== undefined && isObject(v) ? getOwn(v, mergeKey) : v);
  const items = patchList.filter((v) => !(isObject(v) && hasOwn(v, PATCH)));
  let o = 0;
  for (const item of items) {
    const want = id(item);
    while (o < order.length && id(order[o]) !== want) o++;
    if (o >= order.length) {
      throw badRequest(
        `invalid patch format of setElementOrder list: the order of the patch list doesn't match $setElementOrder (at ${path})`,
      );
    }
    o++;
  }
}

function deleteFromPrimitiveList(orig: JsonObject, directiveKey: string, values: Json, path: string): void {
  const field = directiveKey.slice(DELETE_FROM.length);
  const p = at(path, field);
  if (field === '' || !Array.isArray(values) || values.some((v) => v !== null && typeof v === 'object')) {
    throw badRequest(`invalid patch format of primitive list (at ${p})`);
  }
  const current = getOwn(orig, field);
  if (!Array.isArray(current)) return;
  const doomed = new Set(values.map(scalarKey));
  setOwn(
    orig,
    field,
    current.filter((v) => !doomed.has(scalarKey(v))),
  );
}
