import type { KObject } from '../../api-types/index.ts';
import { objKey } from '../framework/cache.ts';
import { controllerRef } from '../framework/owner-refs.ts';
import type { StoreEvent } from '../store/store.ts';
import { isPodActive, isPodReady, readySince } from './pods.ts';

type Matcher = (labels: Record<string, string> | undefined) => boolean;

/** What a ReplicaSet (or ReplicationController) counts its pods by. */
export interface ReplicaView {
  uid: string;
  /** The compiled selector (cached per stored selector object, so its identity marks a change). */
  matches: Matcher;
  /** spec.template.metadata.labels as stored. */
  templateLabels: Record<string, string> | undefined;
}

/** One pod's share of its controller's counts. */
interface Share {
  /** Active and selected: counts as a replica. */
  active: boolean;
  fully: boolean;
  ready: boolean;
  /** Owned but no longer selected: to be released. */
  unmatched: boolean;
  /** When it became Ready (ms, NaN when unknown), for a ready share. */
  since: number;
}

/** The counts of one controller, kept from pod events. */
export interface ReplicaTally {
  /** Active pods it controls and selects (status.replicas). */
  active: number;
  /** Of those, how many carry every template label (status.fullyLabeledReplicas). */
  fully: number;
  /** Of those, how many are Ready (status.readyReplicas). */
  ready: number;
  /** Ready pods' keys → when they became Ready, for minReadySeconds. */
  readySince: ReadonlyMap<string, number>;
  /** Keys of pods it controls whose labels no longer match its selector. */
  unmatched: ReadonlySet<string>;
  /** Keys of every pod with a share (whether a pod is already counted). */
  has(podKey: string): boolean;
}

class Tally implements ReplicaTally {
  active = 0;
  fully = 0;
  ready = 0;
  readySince = new Map<string, number>();
  unmatched = new Set<string>();
  shares = new Map<string, Share>();
  constructor(
    readonly matches: Matcher,
    readonly templateLabels: Record<string, string> | undefined,
  ) {}

  has(podKey: string): boolean {
    return this.shares.has(podKey);
  }

  add(key: string, pod: KObject): void {
    const s = this.shareOf(pod);
    this.shares.set(key, s);
    this.bump(key, s, 1);
  }

  remove(key: string): void {
    const s = this.shares.get(key);
    if (!s) return;
    this.shares.delete(key);
    this.bump(key, s, -1);
  }

  private bump(key: string, s: Share, sign: 1 | -1): void {
    if (s.unmatched) {
      if (sign > 0) this.unmatched.add(key);
      else this.unmatched.delete(key);
    }
    if (!s.active) return;
    this.active += sign;
    if (s.fully) this.fully += sign;
    if (!s.ready) return;
    this.ready += sign;
    if (sign > 0) this.readySince.set(key, s.since);
    else this.readySince.delete(key);
  }

  private shareOf(pod: KObject): Share {
    const labels = pod.metadata.labels;
    if (!this.matches(labels)) return { active: false, fully: false, ready: false, unmatched: true, since: NaN };
    const active = isPodActive(pod);
    const ready = active && isPodReady(pod);
    return {
      active,
      fully: active && hasLabels(labels, this.templateLabels),
      ready,
      unmatched: false,
      since: ready ? readySince(pod) : NaN,
    };
  }
}

function hasLabels(labels: Record<string, string> | undefined, want: Record<string, string> | undefined): boolean {
  for (const k in want) if (labels?.[k] !== want[k]) return false;
  return true;
}

/**
 * Per-controller counts of its pods (replicas, fully labeled, ready, ready-since), kept from pod
 * watch events so that a sync reads them instead of filtering every pod it owns. A controller's
 * tally is built from its pods on first use and rebuilt when its selector or template labels
 * change; afterwards each pod event moves one pod's share.
 */
export class ReplicaCounts {
  private tallies = new Map<string, Tally>();
  /** Pod key → the controller uid its share is counted under. */
  private counted = new Map<string, string>();

  /** @param podsOf the pods (from the controller's cache) whose controller reference is `uid`. */
  constructor(private readonly podsOf: (uid: string) => Iterable<KObject>) {}

  /** Call after the pod cache has applied the event. */
  apply(ev: StoreEvent): void {
    const key = ev.key ?? objKey(ev.object);
    const was = this.counted.get(key);
    if (was !== undefined) {
      this.tallies.get(was)?.remove(key);
      this.counted.delete(key);
    }
    if (ev.type === 'DELETED') return;
    const uid = controllerRef(ev.object)?.uid;
    const tally = uid === undefined ? undefined : this.tallies.get(uid);
    if (!tally) return;
    tally.add(key, ev.object);
    this.counted.set(key, uid!);
  }

  /** The counts of a controller as its pods stand now. */
  of(view: ReplicaView): ReplicaTally {
    const cur = this.tallies.get(view.uid);
    if (cur && cur.matches === view.matches && cur.templateLabels === view.templateLabels) return cur;
    if (cur) this.forget(view.uid);
    const tally = new Tally(view.matches, view.templateLabels);
    for (const pod of this.podsOf(view.uid)) {
      const key = objKey(pod);
      tally.add(key, pod);
      this.counted.set(key, view.uid);
    }
    this.tallies.set(view.uid, tally);
    return tally;
  }

  /** The controller is gone. */
  forget(uid: string): void {
    const tally = this.tallies.get(uid);
    if (!tally) return;
    for (const key of tally.shares.keys()) this.counted.delete(key);
    this.tallies.delete(uid);
  }
}
