import type { KObject } from '../../../api-types/index.ts';
import { ApiError } from '../../store/errors.ts';
import { decodeManaged, describeManager, encodeManaged, sameManager, type Managed } from './entries.ts';
import { FieldSet, pathString, type Path } from './fieldset.ts';
import type { TypeNode } from './types.ts';
import { canonical, compare, isPlainObject, mergeApplied, removePath, toFields } from './walk.ts';

/** Who writes, through which endpoint, and what its kind looks like. */
export interface WriteContext {
  manager: string;
  apiVersion: string;
  /** `status`, `scale`, or undefined for the main resource. */
  subresource?: string;
  /** Whether `status` is a subresource of this kind (then main-resource writes own no status). */
  hasStatus: boolean;
  type: TypeNode;
  now: string;
}

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const CLIENT_SIDE_APPLY = 'kubectl-client-side-apply';

/** Fields nobody owns: identity and server-set metadata. */
const META_FIELDS = new Set([
  'name',
  'namespace',
  'creationTimestamp',
  'selfLink',
  'uid',
  'generation',
  'managedFields',
  'resourceVersion',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
]);

/** The fields a write through this endpoint may own. */
function ownable(set: FieldSet, w: WriteContext): FieldSet {
  return FieldSet.of(
    set.values().filter((p) => {
      const [a, b] = p;
      if (a === 'f:apiVersion' || a === 'f:kind') return false;
      if (a === 'f:metadata' && (p.length === 1 || META_FIELDS.has(b!.slice(2)))) return false;
      if (w.subresource === 'status') return a === 'f:status';
      if (w.subresource === 'scale') return a === 'f:spec';
      if (w.hasStatus && a === 'f:status') return false;
      return true;
    }),
  );
}

/** A user sending managedFields replaces them; otherwise they carry over from the stored object. */
function baseEntries(obj: KObject, old: KObject | undefined): Managed[] {
  const sent = obj.metadata.managedFields;
  if (!old) return decodeManaged(sent);
  if (sent !== undefined && canonical(sent) !== canonical(old.metadata.managedFields)) return decodeManaged(sent);
  return decodeManaged(old.metadata.managedFields);
}

function write(obj: KObject, list: Managed[]): void {
  const encoded = encodeManaged(list);
  if (encoded.length) obj.metadata.managedFields = encoded;
  else delete obj.metadata.managedFields;
}

/**
 * Record an `Update` (create, update, non-apply patch): the writer takes the fields it added or
 * changed from everyone else; removed fields leave every set. Called on the final object, after
 * defaulting, so defaulted fields belong to the writer as on a real apiserver.
 */
export function recordUpdate(obj: KObject, old: KObject | undefined, w: WriteContext): void {
  const list = baseEntries(obj, old);
  const userCleared =
    Array.isArray(obj.metadata.managedFields) &&
    old &&
    canonical(obj.metadata.managedFields) !== canonical(old.metadata.managedFields) &&
    list.length === 0;
  const { changed: rawChanged, removed } = compare(old ?? {}, obj, w.type);
  const changed = ownable(rawChanged, w);
  if (userCleared) return write(obj, []);
  if (changed.size === 0 && removed.size === 0 && old) return write(obj, list);
  const me: Managed = {
    manager: w.manager,
    operation: 'Update',
    apiVersion: w.apiVersion,
    subresource: w.subresource,
    set: new FieldSet(),
  };
  let mine = list.find((m) => sameManager(m, me));
  for (const m of list) {
    if (m !== mine) m.set = m.set.difference(changed);
    m.set = m.set.difference(removed);
  }
  if (changed.size > 0) {
    if (!mine) list.push((mine = me));
    mine.set = mine.set.union(changed);
    mine.time = w.now;
  }
  write(obj, list);
}

export interface ApplyOptions {
  force: boolean;
}

/**
 * Server-side apply: merge `applied` into `live` (undefined when creating), check ownership,
 * drop what this manager applied before and applies no more, and return the new object with
 * its managedFields. Throws the apiserver's 409 on conflicts unless forced.
 */
export function applyConfiguration(
  live: KObject | undefined,
  applied: KObject,
  w: WriteContext,
  opts: ApplyOptions,
): KObject {
  let list = live ? decodeManaged(live.metadata.managedFields) : [];
  if (live && list.length === 0) {
    // Objects written before anyone recorded ownership: the whole object belongs to one manager.
    const all = ownable(toFields(live, w.type).set, { ...w, subresource: undefined });
    if (all.size)
      list = [{ manager: 'before-first-apply', operation: 'Update', apiVersion: w.apiVersion, time: w.now, set: all }];
  }
  const appliedSet = ownable(toFields(applied, w.type, true).set, w);
  const merged = mergeApplied(live ?? {}, applied, w.type) as KObject;
  if (!isPlainObject(merged.metadata)) merged.metadata = {};
  const me: Managed = {
    manager: w.manager,
    operation: 'Apply',
    apiVersion: w.apiVersion,
    subresource: w.subresource,
    set: appliedSet,
    time: w.now,
  };
  const mine = list.find((m) => sameManager(m, me));
  const others = list.filter((m) => m !== mine);

  const { changed } = compare(live ?? {}, merged, w.type);
  const contested = changed.intersection(appliedSet);
  const conflicts: Array<{ m: Managed; p: Path }> = [];
  for (const m of others) for (const p of m.set.intersection(contested).values()) conflicts.push({ m, p });
  if (conflicts.length && !opts.force && !migratingFromClientSideApply(live, conflicts, w))
    throw conflictError(conflicts);
  for (const { m, p } of conflicts) m.set.delete(p);

  // Fields this manager applied before and no longer does go, unless someone else owns them.
  if (mine) {
    const dropped = mine.set
      .difference(appliedSet)
      .values()
      .sort((a, b) => a.length - b.length);
    for (const p of dropped) {
      if (others.some((m) => m.set.has(p) || m.set.hasDescendant(p))) continue;
      if (appliedSet.hasDescendant(p)) continue;
      removePath(merged, p, w.type);
    }
  }
  if (mine && mine.set.equals(appliedSet) && mine.apiVersion === w.apiVersion) me.time = mine.time;
  const lastApplied = live?.metadata.annotations?.[LAST_APPLIED];
  if (lastApplied !== undefined && w.subresource === undefined) {
    const copy = structuredClone(applied);
    if (copy.metadata?.annotations) delete copy.metadata.annotations[LAST_APPLIED];
    merged.metadata.annotations = {
      ...(merged.metadata.annotations ?? {}),
      [LAST_APPLIED]: JSON.stringify(copy) + '\n',
    };
  }
  write(merged, [...others, me]);
  return merged;
}

/**
 * `kubectl apply --server-side` over an object managed with client-side apply: fields that the
 * last-applied configuration lists are the user's own, so taking them from kubectl-client-side-apply
 * is no conflict.
 */
function migratingFromClientSideApply(
  live: KObject | undefined,
  conflicts: Array<{ m: Managed; p: Path }>,
  w: WriteContext,
): boolean {
  const text = live?.metadata.annotations?.[LAST_APPLIED];
  if (!text) return false;
  let cfg: unknown;
  try {
    cfg = JSON.parse(text);
  } catch {
    return false;
  }
  const set = toFields(cfg, w.type).set;
  return conflicts.every(({ m, p }) => m.manager === CLIENT_SIDE_APPLY && m.operation === 'Update' && set.has(p));
}

function conflictError(conflicts: Array<{ m: Managed; p: Path }>): ApiError {
  const causes = conflicts.map(({ m, p }) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${describeManager(m)}`,
    field: pathString(p),
  }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${describeManager(conflicts[0]!.m)}: ${pathString(conflicts[0]!.p)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const { m, p } of conflicts) {
      const k = describeManager(m);
      byManager.set(k, [...(byManager.get(k) ?? []), pathString(p)]);
    }
    const lines: string[] = [];
    for (const k of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${k}:`);
      for (const p of byManager.get(k)!) lines.push(`- ${p}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError(409, 'Conflict', message, { causes });
}
