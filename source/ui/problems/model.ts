import type { KObject } from '../../api-types/index.ts';
import {
  compareProblems,
  daemonSetProblems,
  deploymentProblems,
  eventProblem,
  nodeProblems,
  podProblems,
  pvcProblems,
  RECENT_EVENT_MS,
  serviceProblems,
  sliceReady,
  statefulSetProblems,
  warningEvent,
  type Problem,
  type ProblemInput,
} from './rules.ts';

export type ProblemKind = keyof ProblemInput;

/** How the problem list changed since the last `takeChanges()`: a changed problem is replaced. */
export interface ProblemChanges {
  removed: Problem[];
  added: Problem[];
}

const PER_OBJECT: Partial<Record<ProblemKind, (o: KObject) => Problem[]>> = {
  pods: podProblems,
  deployments: deploymentProblems,
  statefulsets: statefulSetProblems,
  daemonsets: daemonSetProblems,
  nodes: nodeProblems,
  persistentvolumeclaims: pvcProblems,
};

const uidOf = (o: KObject) => o.metadata.uid || `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const serviceKey = (o: KObject) => `${o.metadata.namespace}/${o.metadata.name}`;

function add<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}

function drop<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  const s = m.get(k);
  if (!s) return;
  s.delete(v);
  if (!s.size) m.delete(k);
}

/**
 * The problems of a cluster, kept up to date one watch event at a time: an object's own rules run
 * when that object changes; the rules that join kinds re-run only for what the change touches (a
 * slice → the Service it serves; an object flagged or cleared → the Warning events about it).
 * Nothing here runs on a keypress.
 */
export class ProblemModel {
  private readonly objects = new Map<ProblemKind, Map<string, KObject>>();
  /** Current problems by who produced them: `kind/uid` of an object, or `event:group`. */
  private readonly current = new Map<string, Problem[]>();
  /** Objects some non-event rule flags (their uid): Warning events about them add nothing. */
  private readonly flagged = new Map<string, number>();
  // Services and the ready endpoints of their slices.
  private readonly sliceOf = new Map<string, { service: string; ready: number }>();
  private readonly readyOf = new Map<string, number>();
  private readonly servicesAt = new Map<string, Set<string>>();
  // Warning events by group (object and reason), and the groups about each object.
  private readonly groupOf = new Map<string, string>();
  private readonly groups = new Map<string, Set<string>>();
  private readonly groupsAbout = new Map<string, Set<string>>();
  private readonly aboutOf = new Map<string, string>();
  /** When the event shown for a group stops being recent. */
  private readonly expires = new Map<string, number>();
  // Since the last takeChanges(): a problem added and removed in between is in neither.
  private removed = new Set<Problem>();
  private added = new Set<Problem>();

  constructor(private readonly now: () => number) {}

  /** An object was added or changed. */
  set(kind: ProblemKind, obj: KObject): void {
    const uid = uidOf(obj);
    const objs = this.kind(kind);
    const before = objs.get(uid);
    if (before === obj) return;
    objs.set(uid, obj);
    this.changed(kind, uid, before, obj);
  }

  delete(kind: ProblemKind, uid: string): void {
    const objs = this.kind(kind);
    const before = objs.get(uid);
    if (!before) return;
    objs.delete(uid);
    this.changed(kind, uid, before, undefined);
  }

  /** The whole list of a kind (after a list or relist): applied as the difference. */
  reset(kind: ProblemKind, objs: readonly KObject[]): void {
    const keep = new Set<string>();
    for (const o of objs) {
      keep.add(uidOf(o));
      this.set(kind, o);
    }
    for (const uid of [...this.kind(kind).keys()]) if (!keep.has(uid)) this.delete(kind, uid);
  }

  /** Drops Warning events that are no longer recent; returns when the next one will be due. */
  expire(): number | undefined {
    const now = this.now();
    for (const [group, at] of this.expires) if (at <= now) this.evaluateGroup(group);
    return this.nextExpiry();
  }

  nextExpiry(): number | undefined {
    let next: number | undefined;
    for (const at of this.expires.values()) if (next === undefined || at < next) next = at;
    return next;
  }

  takeChanges(): ProblemChanges {
    const out = { removed: [...this.removed], added: [...this.added] };
    this.removed.clear();
    this.added.clear();
    return out;
  }

  /** Every current problem, ranked. */
  problems(): Problem[] {
    return [...this.current.values()].flat().sort(compareProblems);
  }

  private kind(kind: ProblemKind): Map<string, KObject> {
    let m = this.objects.get(kind);
    if (!m) this.objects.set(kind, (m = new Map()));
    return m;
  }

  private changed(kind: ProblemKind, uid: string, before: KObject | undefined, after: KObject | undefined): void {
    const rules = PER_OBJECT[kind];
    if (rules) return this.produce(`${kind}/${uid}`, after ? rules(after) : [], uid);
    if (kind === 'services') {
      if (before) drop(this.servicesAt, serviceKey(before), uid);
      if (after) add(this.servicesAt, serviceKey(after), uid);
      return this.produce(
        `${kind}/${uid}`,
        after ? serviceProblems(after, this.readyOf.get(serviceKey(after)) ?? 0) : [],
        uid,
      );
    }
    if (kind === 'endpointslices') return this.sliceChanged(uid, after);
    if (kind === 'events') return this.eventChanged(uid, after);
  }

  private sliceChanged(uid: string, after: KObject | undefined): void {
    const was = this.sliceOf.get(uid);
    const now = after ? sliceReady(after) : undefined;
    if (was?.service === now?.service && was?.ready === now?.ready) return;
    if (now) this.sliceOf.set(uid, now);
    else this.sliceOf.delete(uid);
    const before = new Map<string, number>();
    for (const slice of [was, now]) if (slice) before.set(slice.service, this.readyOf.get(slice.service) ?? 0);
    for (const [slice, delta] of [
      [was, -1],
      [now, 1],
    ] as const) {
      if (!slice) continue;
      const n = (this.readyOf.get(slice.service) ?? 0) + delta * slice.ready;
      if (n) this.readyOf.set(slice.service, n);
      else this.readyOf.delete(slice.service);
    }
    // The rule asks only whether any endpoint is ready.
    for (const [key, n] of before) {
      const ready = this.readyOf.get(key) ?? 0;
      if (!n === !ready) continue;
      for (const svcUid of this.servicesAt.get(key) ?? []) {
        const svc = this.kind('services').get(svcUid)!;
        this.produce(`services/${svcUid}`, serviceProblems(svc, ready), svcUid);
      }
    }
  }

  private eventChanged(uid: string, after: KObject | undefined): void {
    const was = this.groupOf.get(uid);
    const w = after ? warningEvent(after) : undefined;
    if (was !== undefined && was !== w?.group) {
      drop(this.groups, was, uid);
      const about = this.aboutOf.get(was);
      if (!this.groups.has(was) && about !== undefined) {
        drop(this.groupsAbout, about, was);
        this.aboutOf.delete(was);
      }
      this.evaluateGroup(was);
    }
    if (w) {
      this.groupOf.set(uid, w.group);
      add(this.groups, w.group, uid);
      if (w.about) {
        add(this.groupsAbout, w.about, w.group);
        this.aboutOf.set(w.group, w.about);
      }
      this.evaluateGroup(w.group);
    } else this.groupOf.delete(uid);
  }

  /** The newest recent event of a group, unless another rule flags the object it is about. */
  private evaluateGroup(group: string): void {
    const now = this.now();
    const events = this.kind('events');
    let best: { e: KObject; t: number } | undefined;
    let about: string | undefined;
    for (const uid of this.groups.get(group) ?? []) {
      const e = events.get(uid)!;
      const w = warningEvent(e)!;
      about = w.about;
      if (now - w.t > RECENT_EVENT_MS) continue;
      if (!best || w.t > best.t) best = { e, t: w.t };
    }
    if (best && about && this.flagged.has(about)) best = undefined;
    if (best) this.expires.set(group, best.t + RECENT_EVENT_MS + 1);
    else this.expires.delete(group);
    const shown = this.current.get(`event:${group}`);
    if (shown?.[0]?.object === best?.e) return;
    this.produce(`event:${group}`, best ? [eventProblem(best.e)] : []);
  }

  /** Replaces an owner's problems, noting the change; `flags` is the uid a non-event rule judged. */
  private produce(owner: string, next: Problem[], flags?: string): void {
    const prev = this.current.get(owner) ?? [];
    if (!prev.length && !next.length) return;
    if (next.length) this.current.set(owner, next);
    else this.current.delete(owner);
    for (const p of prev) if (!this.added.delete(p)) this.removed.add(p);
    for (const p of next) this.added.add(p);
    if (flags === undefined || !prev.length === !next.length) return;
    // The object is flagged now, or no longer: the events about it show or hide.
    const n = (this.flagged.get(flags) ?? 0) + (next.length ? 1 : -1);
    if (n > 0) this.flagged.set(flags, n);
    else this.flagged.delete(flags);
    for (const group of this.groupsAbout.get(flags) ?? []) this.evaluateGroup(group);
  }
}

/** Every problem of a set of lists, ranked (the model fed at once). */
export function findProblems(input: ProblemInput, now: number): Problem[] {
  const model = new ProblemModel(() => now);
  for (const [kind, objs] of Object.entries(input) as Array<[ProblemKind, KObject[] | undefined]>)
    model.reset(kind, objs ?? []);
  return model.problems();
}
