import type { KObject } from '../../api-types/index.ts';
import { intOrPercent } from '../resources/validation.ts';
import { safeEncodeHash } from '../store/names.ts';
import { canonical, parseTime } from './pods.ts';

/** Deployment helpers (upstream's deployment/util): hashing, revisions, fenceposts, conditions. */

export const HASH_LABEL = 'pod-template-hash';
export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
const MAX_HISTORY_CHARS = 2000;

/** Annotations never copied from a Deployment to its ReplicaSets (kubectl's undo list too). */
const SKIP_COPY = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);

function fnv32a(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/** pod-template-hash: FNV-32a over the canonical JSON of the template, then the collision count. */
export function computeHash(template: unknown, collisionCount?: number): string {
  let h = fnv32a(Buffer.from(JSON.stringify(canonical(template) ?? {}), 'utf8'));
  if (collisionCount !== undefined && collisionCount !== null) {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(collisionCount >>> 0);
    h = fnv32a(b, h);
  }
  return safeEncodeHash(h);
}

const comparable = new WeakMap<object, string>();

/** The canonical JSON of a template without its hash label, cached per (frozen) template object. */
function withoutHash(template: unknown): string {
  const key = template && typeof template === 'object' ? template : undefined;
  const cached = key && comparable.get(key);
  if (cached) return cached;
  const t = structuredClone(template ?? {}) as { metadata?: { labels?: Record<string, string> } };
  if (t.metadata?.labels) delete t.metadata.labels[HASH_LABEL];
  const out = JSON.stringify(canonical(t) ?? {});
  if (key && Object.isFrozen(key)) comparable.set(key, out);
  return out;
}

/** Templates equal ignoring the pod-template-hash label (nil and empty count as equal). */
export function equalIgnoreHash(a: unknown, b: unknown): boolean {
  return withoutHash(a) === withoutHash(b);
}

export function isRollingUpdate(d: KObject): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

export function replicasOf(o: KObject | undefined): number {
  return o?.spec?.replicas ?? 0;
}

/** Surge rounds up, unavailable rounds down; both 0 → unavailable 1. */
export function fenceposts(d: KObject): { surge: number; unavailable: number } {
  const desired = replicasOf(d);
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  const surge = intOrPercent(ru.maxSurge ?? 0, desired, true) || 0;
  let unavailable = intOrPercent(ru.maxUnavailable ?? 0, desired, false) || 0;
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function maxSurge(d: KObject): number {
  return isRollingUpdate(d) ? fenceposts(d).surge : 0;
}

export function maxUnavailable(d: KObject): number {
  const desired = replicasOf(d);
  if (!isRollingUpdate(d) || desired === 0) return 0;
  return Math.min(fenceposts(d).unavailable, desired);
}

export function revisionOf(o: KObject | undefined): number {
  const v = Number(o?.metadata.annotations?.[REVISION]);
  return Number.isInteger(v) ? v : 0;
}

export function maxRevision(sets: KObject[]): number {
  return sets.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

export function intAnnotation(o: KObject, key: string): number | undefined {
  const raw = o.metadata.annotations?.[key];
  if (raw === undefined) return undefined;
  const v = Number(raw);
  return Number.isInteger(v) ? v : undefined;
}

/** Copy the deployment's annotations (minus the skip list) onto the RS; true when anything changed. */
export function copyAnnotations(d: KObject, rs: KObject): boolean {
  const ann = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIP_COPY.has(k) || ann[k] === v) continue;
    ann[k] = v;
    changed = true;
  }
  return changed;
}

export function setReplicasAnnotations(rs: KObject, desired: number, max: number): boolean {
  const ann = (rs.metadata.annotations ??= {});
  let changed = false;
  if (ann[DESIRED_REPLICAS] !== String(desired)) {
    ann[DESIRED_REPLICAS] = String(desired);
    changed = true;
  }
  if (ann[MAX_REPLICAS] !== String(max)) {
    ann[MAX_REPLICAS] = String(max);
    changed = true;
  }
  return changed;
}

/**
 * Upstream's SetNewReplicaSetAnnotations: copy annotations, raise the revision, and when an
 * old RS becomes new again (rollback) append its former revision to revision-history.
 */
export function setNewReplicaSetAnnotations(d: KObject, rs: KObject, newRevision: number, exists: boolean): boolean {
  let changed = copyAnnotations(d, rs);
  const ann = rs.metadata.annotations!;
  const oldRaw = ann[REVISION];
  const oldRevision = oldRaw === undefined ? 0 : Number(oldRaw);
  if (!Number.isInteger(oldRevision)) return changed;
  if (oldRevision < newRevision) {
    ann[REVISION] = String(newRevision);
    changed = true;
    if (oldRaw !== undefined) {
      const history = ann[REVISION_HISTORY] ? ann[REVISION_HISTORY].split(',') : [];
      history.push(oldRaw);
      while (history.join(',').length > MAX_HISTORY_CHARS) history.shift();
      ann[REVISION_HISTORY] = history.join(',');
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

export function byCreation(a: KObject, b: KObject): number {
  const ta = parseTime(a.metadata.creationTimestamp);
  const tb = parseTime(b.metadata.creationTimestamp);
  if (ta !== tb) return ta - tb;
  return a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0;
}

export function byRevision(a: KObject, b: KObject): number {
  return revisionOf(a) - revisionOf(b) || byCreation(a, b);
}

/** Largest first; ties newer first (scale up) or older first (scale down). */
export function bySize(newerFirst: boolean) {
  return (a: KObject, b: KObject): number =>
    replicasOf(b) - replicasOf(a) || (newerFirst ? byCreation(b, a) : byCreation(a, b));
}

export function active(sets: Array<KObject | undefined>): KObject[] {
  return sets.filter((rs): rs is KObject => !!rs && replicasOf(rs) > 0);
}

export const sumSpec = (sets: Array<KObject | undefined>) => sets.reduce((n, rs) => n + replicasOf(rs), 0);
export const sumStatus = (sets: Array<KObject | undefined>, f: string) =>
  sets.reduce((n, rs) => n + (rs?.status?.[f] ?? 0), 0);

export interface Condition {
  type: string;
  status: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** A Deployment status being built: the conditions in the shape set here, other fields as read. */
export interface DeploymentStatusDraft {
  conditions?: Condition[];
  [field: string]: unknown;
}

export function getCondition(status: DeploymentStatusDraft | undefined, type: string): Condition | undefined {
  return (status?.conditions ?? []).find((c: Condition) => c.type === type);
}

/** Same status and reason → unchanged; same status → keep lastTransitionTime; always appended last. */
export function setCondition(status: DeploymentStatusDraft, c: Condition): void {
  const cur = getCondition(status, c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  if (cur && cur.status === c.status) c.lastTransitionTime = cur.lastTransitionTime;
  removeCondition(status, c.type);
  status.conditions = [...(status.conditions ?? []), c];
}

export function removeCondition(status: DeploymentStatusDraft, type: string): void {
  const rest = (status.conditions ?? []).filter((c: Condition) => c.type !== type);
  if (rest.length) status.conditions = rest;
  else delete status.conditions;
}

/**
 * How many replicas the new RS may have now (RollingUpdate: within maxSurge). Unlike upstream,
 * an RS counts with its observed pods when they exceed its spec (pods of a scaled-down RS not yet
 * deleted), so the number of live pods, not only the specs, stays within maxSurge.
 */
export function newRSReplicas(d: KObject, all: KObject[], newRS: KObject): number {
  if (!isRollingUpdate(d)) return replicasOf(d);
  const maxTotal = replicasOf(d) + maxSurge(d);
  const current = all.reduce((n, rs) => n + Math.max(replicasOf(rs), rs.status?.replicas ?? 0), 0);
  if (current >= maxTotal) return replicasOf(newRS);
  return replicasOf(newRS) + Math.min(maxTotal - current, replicasOf(d) - replicasOf(newRS));
}

export function activeOrLatest(newRS: KObject | undefined, oldRSs: KObject[]): KObject | undefined {
  if (!newRS && !oldRSs.length) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const act = active(newRS ? [...newestFirst, newRS] : newestFirst);
  if (act.length === 0) return newRS ?? newestFirst[0];
  return act.length === 1 ? act[0] : undefined;
}

export function isSaturated(d: KObject, rs: KObject): boolean {
  const want = replicasOf(d);
  return (
    intAnnotation(rs, DESIRED_REPLICAS) === want &&
    (rs.status?.availableReplicas ?? 0) === want &&
    replicasOf(rs) === want
  );
}

/** Upstream GetProportion: this RS's share of `toAdd`, bounded by what is left to add. */
export function proportion(rs: KObject, d: KObject, toAdd: number, added: number): number {
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const allowed = toAdd - added;
  let fraction: number;
  if (replicasOf(d) === 0) fraction = -replicasOf(rs);
  else {
    const total = replicasOf(d) + maxSurge(d);
    const annotated = intAnnotation(rs, MAX_REPLICAS) ?? d.status?.replicas ?? 0;
    fraction = roundHalfAway((replicasOf(rs) * total) / (annotated || 1)) - replicasOf(rs);
  }
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}
