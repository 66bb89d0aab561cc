import { getOwn, isObject, scalarKey, type Json } from './json-value.ts';

/**
 * Identity of a list item for ordering: its merge-key value for lists of objects, the value
 * itself for primitive lists. Items without the key get a unique identity (never matched).
 */
export function identity(mergeKey: string | undefined): (item: Json) => string {
  let unique = 0;
  return (item) => {
    if (mergeKey === undefined) return scalarKey(item);
    const value = isObject(item) ? getOwn(item, mergeKey) : undefined;
    return value === undefined ? `none:${unique++}` : scalarKey(value);
  };
}

function positions(list: Json[], id: (item: Json) => string): Map<string, number> {
  const pos = new Map<string, number>();
  list.forEach((item, i) => {
    const key = id(item);
    if (!pos.has(key)) pos.set(key, i);
  });
  return pos;
}

function sortBy(items: Json[], pos: Map<string, number>, id: (item: Json) => string): Json[] {
  const rank = (item: Json) => pos.get(id(item)) ?? Number.MAX_SAFE_INTEGER;
  return items
    .map((item, i) => ({ item, i, r: rank(item) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((e) => e.item);
}

/**
 * The order upstream strategic merge gives a merged list: items named by `wanted` (the patch
 * list, or a `$setElementOrder` list) take that order; the other ("server-only") items keep
 * their order in `live` and are interleaved where `live` puts them before a patch item.
 * Patch items that were not in `live` therefore come first, as on a real apiserver.
 */
export function orderMerged(merged: Json[], wanted: Json[], live: Json[], mergeKey: string | undefined): Json[] {
  const id = identity(mergeKey);
  const wantedPos = positions(wanted, id);
  const livePos = positions(live, id);
  const patchItems: Json[] = [];
  const serverOnly: Json[] = [];
  for (const item of merged) (wantedPos.has(id(item)) ? patchItems : serverOnly).push(item);

  const right = sortBy(patchItems, wantedPos, id);
  const left = sortBy(serverOnly, livePos, id);
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length) {
      out.push(left[i++]);
    } else if (i >= left.length) {
      out.push(right[j++]);
    } else {
      const li = livePos.get(id(left[i]));
      const ri = livePos.get(id(right[j]));
      out.push(li !== undefined && ri !== undefined && li < ri ? left[i++] : right[j++]);
    }
  }
  return out;
}
