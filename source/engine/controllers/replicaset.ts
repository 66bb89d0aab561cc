import type { ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1.d.ts';
import type { KObject } from '../../api-types/index.ts';
import { rfc3339 } from '../clock.ts';
import { jsonEqual } from '../store/freeze.ts';
import type { StoreEvent } from '../store/store.ts';
import { Cache, objKey, splitKey } from '../framework/cache.ts';
import { Controller } from '../framework/controller.ts';
import { Expectations } from '../framework/expectations.ts';
import { compareForDeletion, isPodActive, podFromTemplate, selectorMatcher } from './pods.ts';
import { ReplicaCounts, type ReplicaTally, type ReplicaView } from './replica-counts.ts';
import { controllerRef, newControllerRef } from '../framework/owner-refs.ts';
import { isNotFound } from '../store/errors.ts';

/** What differs between the ReplicaSet and the ReplicationController controllers. */
export interface ReplicaKind {
  resource: string;
  kind: string;
  component: string;
  /** The LabelSelector of an object (an RC's is a plain map). */
  selector(o: KObject): unknown;
}

const REPLICA_SET: ReplicaKind = {
  resource: 'replicasets.apps',
  kind: 'ReplicaSet',
  component: 'replicaset-controller',
  selector: (o) => o.spec?.selector,
};

const wrapped = new WeakMap<object, unknown>();
/** An RC's `spec.selector` map as a LabelSelector, one wrapper per stored map (selectorMatcher caches by identity). */
function mapSelector(o: KObject): unknown {
  const map = o.spec?.selector;
  if (!map || typeof map !== 'object') return undefined;
  let w = wrapped.get(map);
  if (!w) wrapped.set(map, (w = { matchLabels: map }));
  return w;
}

export const REPLICATION_CONTROLLER: ReplicaKind = {
  resource: 'replicationcontrollers',
  kind: 'ReplicationController',
  component: 'replication-controller',
  selector: mapSelector,
};
/** Upstream's burstReplicas: at most this many creates or deletes per sync. */
const BURST = 500;
/** Creates per event-loop turn, so a large scale-up never blocks the API server. */
const YIELD_EVERY = 50;

const ownerIndex = (o: KObject) => [controllerRef(o)?.uid ?? `orphan/${o.metadata.namespace}`];

/** Keeps `spec.replicas` pods of each ReplicaSet, adopting and releasing pods by selector. */
export class ReplicaSetController extends Controller {
  readonly name: string;
  private readonly RS: string;
  private readonly SOURCE: { component: string };

  constructor(private readonly kind: ReplicaKind = REPLICA_SET) {
    super();
    this.name = kind.component;
    this.RS = kind.resource;
    this.SOURCE = { component: kind.component };
  }
  private pods = new Cache({ owner: ownerIndex });
  private counts = new ReplicaCounts((uid) => this.pods.by('owner', uid));
  private sets = new Cache({ ns: (o) => [o.metadata.namespace!], uid: (o) => [o.metadata.uid!], owner: ownerIndex });
  private expectations!: Expectations;

  protected init(): void {
    this.expectations = new Expectations(this.clock);
    this.watch(this.RS, (ev) => {
      this.sets.apply(ev);
      if (ev.type === 'DELETED') {
        this.expectations.delete(objKey(ev.object));
        this.counts.forget(ev.object.metadata.uid!);
      }
      this.queue.add(objKey(ev.object));
    });
    this.watch('pods', (ev) => {
      this.pods.apply(ev);
      this.counts.apply(ev);
      this.podEvent(ev);
    });
  }

  private rsKeyFor(pod: KObject): string | undefined {
    const ref = controllerRef(pod);
    if (!ref || ref.kind !== this.kind.kind) return undefined;
    const rs = this.sets.by('uid', ref.uid)[0];
    return rs ? objKey(rs) : undefined;
  }

  private podEvent(ev: StoreEvent): void {
    const pod = ev.object;
    const key = this.rsKeyFor(pod);
    const wasTerminating = !!ev.prev?.metadata.deletionTimestamp;
    if (key) {
      if (ev.type === 'ADDED') this.expectations.observedAdd(key);
      else if (!wasTerminating && (ev.type === 'DELETED' || pod.metadata.deletionTimestamp))
        this.expectations.observedDelete(key);
      this.queue.add(key);
    } else if (!controllerRef(pod)) {
      this.enqueueMatching(pod);
    }
    if (ev.prev) {
      const prevKey = this.rsKeyFor(ev.prev);
      if (prevKey && prevKey !== key) this.queue.add(prevKey);
    }
  }

  /** An orphan pod may be adopted by any ReplicaSet in its namespace that selects it. */
  private enqueueMatching(pod: KObject): void {
    for (const rs of this.sets.by('ns', pod.metadata.namespace!)) {
      if (selectorMatcher(this.kind.selector(rs))(pod.metadata.labels)) this.queue.add(objKey(rs));
    }
  }

  protected async sync(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const rs = this.store.get(this.RS, ns, name);
    if (!rs) {
      this.expectations.delete(key);
      return;
    }
    const ready = this.expectations.satisfied(key);
    const replicas = this.claimPods(rs);
    let failure: string | undefined;
    if (ready && !rs.metadata.deletionTimestamp) {
      try {
        await this.manageReplicas(rs, replicas, key);
      } catch (e) {
        failure = (e as Error).message;
      }
    }
    const current = this.store.get(this.RS, ns, name);
    if (!current) return;
    this.updateStatus(current, this.counts.of(this.view(current)), failure);
    if (failure) throw new Error(failure);
  }

  private view(rs: KObject): ReplicaView {
    return {
      uid: rs.metadata.uid!,
      matches: selectorMatcher(this.kind.selector(rs)),
      templateLabels: rs.spec?.template?.metadata?.labels,
    };
  }

  /**
   * Adopt matching orphans and release owned pods that no longer match; returns how many active
   * pods the ReplicaSet then controls.
   */
  private claimPods(rs: KObject): number {
    const view = this.view(rs);
    const tally = this.counts.of(view);
    if (rs.metadata.deletionTimestamp) return tally.active;
    for (const key of [...tally.unmatched]) {
      const pod = this.pods.get(...splitKey(key));
      if (pod) this.release(pod, rs);
    }
    // An adopted pod is counted when its watch event arrives; one still on its way counts here.
    let pendingAdoptions = 0;
    for (const pod of this.pods.by('owner', `orphan/${rs.metadata.namespace}`)) {
      if (pod.metadata.deletionTimestamp || !view.matches(pod.metadata.labels)) continue;
      const adopted = this.adopt(pod, rs);
      if (!adopted || controllerRef(adopted)?.uid !== view.uid) continue;
      if (isPodActive(adopted) && !tally.has(objKey(adopted))) pendingAdoptions++;
    }
    return tally.active + pendingAdoptions;
  }

  /** The active pods the ReplicaSet controls and selects (to choose which to delete). */
  private activePods(rs: KObject): KObject[] {
    const match = selectorMatcher(this.kind.selector(rs));
    return this.pods.by('owner', rs.metadata.uid!).filter((p) => match(p.metadata.labels) && isPodActive(p));
  }

  private adopt(pod: KObject, rs: KObject): KObject | undefined {
    try {
      return this.store.mutate('pods', pod.metadata.namespace, pod.metadata.name!, (p) => {
        if (controllerRef(p)) return false;
        p.metadata.ownerReferences = [...(p.metadata.ownerReferences ?? []), newControllerRef(rs)];
      });
    } catch (e) {
      if (!isNotFound(e)) throw e;
      return undefined;
    }
  }

  private release(pod: KObject, rs: KObject): void {
    try {
      this.store.mutate('pods', pod.metadata.namespace, pod.metadata.name!, (p) => {
        const refs = (p.metadata.ownerReferences ?? []).filter((r) => r.uid !== rs.metadata.uid);
        if (refs.length) p.metadata.ownerReferences = refs;
        else delete p.metadata.ownerReferences;
      });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  private async manageReplicas(rs: KObject, active: number, key: string): Promise<void> {
    const want = rs.spec?.replicas ?? 1;
    const diff = active - want;
    if (diff < 0) await this.createPods(rs, Math.min(-diff, BURST), key);
    else if (diff > 0) await this.deletePods(rs, this.activePods(rs), Math.min(diff, BURST), key);
  }

  /** Create in doubling batches (1, 2, 4, …) and stop at the first failing batch, like upstream. */
  private async createPods(rs: KObject, count: number, key: string): Promise<void> {
    this.expectations.expect(key, count, 0);
    let done = 0;
    for (let batch = 1; done < count; batch *= 2) {
      const size = Math.min(batch, count - done);
      let error: Error | undefined;
      for (let i = 0; i < size; i++) {
        if (i > 0 && i % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
        try {
          const pod = this.store.create('pods', podFromTemplate(rs.spec.template, rs));
          this.ctx.recorder.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, this.SOURCE);
        } catch (e) {
          error = e as Error;
          this.expectations.lowered(key, 1, 0);
          this.ctx.recorder.record(rs, 'Warning', 'FailedCreate', `Error creating: ${error.message}`, this.SOURCE);
        }
      }
      done += size;
      if (error) {
        this.expectations.lowered(key, count - done, 0);
        throw error;
      }
      if (done < count) await new Promise((r) => setImmediate(r));
    }
  }

  private async deletePods(rs: KObject, active: KObject[], count: number, key: string): Promise<void> {
    const onNode = this.relatedPodsPerNode(rs);
    const rank = (p: KObject) => (p.spec?.nodeName ? (onNode.get(p.spec.nodeName) ?? 0) : 0);
    const victims = [...active].sort((a, b) => compareForDeletion(a, b, rank)).slice(0, count);
    this.expectations.expect(key, 0, victims.length);
    for (const [i, pod] of victims.entries()) {
      if (i > 0 && i % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
      try {
        this.store.delete('pods', pod.metadata.namespace, pod.metadata.name!);
        this.ctx.recorder.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, this.SOURCE);
      } catch {
        this.expectations.lowered(key, 0, 1);
      }
    }
  }

  /** Active pods per node of this ReplicaSet and its siblings (same controller), for victim ranking. */
  private relatedPodsPerNode(rs: KObject): Map<string, number> {
    const owner = controllerRef(rs);
    const sets = owner ? this.sets.by('owner', owner.uid) : [rs];
    const counts = new Map<string, number>();
    for (const s of sets) {
      for (const p of this.pods.by('owner', s.metadata.uid!)) {
        if (!isPodActive(p) || !p.spec?.nodeName) continue;
        counts.set(p.spec.nodeName, (counts.get(p.spec.nodeName) ?? 0) + 1);
      }
    }
    return counts;
  }

  private updateStatus(rs: KObject, pods: ReplicaTally, failure?: string): void {
    const now = this.clock.now();
    const minReady = rs.spec?.minReadySeconds ?? 0;
    let available = pods.ready;
    let nextAvailable = Infinity;
    if (minReady) {
      available = 0;
      const wait = minReady * 1000 * this.scale;
      for (const since of pods.readySince.values()) {
        if (Number.isNaN(since)) continue;
        if (since + wait <= now) available++;
        else nextAvailable = Math.min(nextAvailable, since + wait);
      }
    }
    const fully = pods.fully;
    const ready = pods.ready;
    const status: ReplicaSetStatus = { replicas: pods.active };
    if (fully) status.fullyLabeledReplicas = fully;
    if (ready) status.readyReplicas = ready;
    if (available) status.availableReplicas = available;
    status.observedGeneration = rs.metadata.generation;
    const conditions = (rs.status?.conditions ?? []).filter(
      (c: ReplicaSetCondition | null) => c?.type !== 'ReplicaFailure',
    );
    if (failure) {
      const prev = (rs.status?.conditions ?? []).find((c: ReplicaSetCondition | null) => c?.type === 'ReplicaFailure');
      conditions.push({
        type: 'ReplicaFailure',
        status: 'True',
        lastTransitionTime: prev?.lastTransitionTime ?? rfc3339(now),
        reason: 'FailedCreate',
        message: failure,
      });
    }
    if (conditions.length) status.conditions = conditions;
    if (Number.isFinite(nextAvailable))
      this.queue.addAfter(objKey(rs), Math.max(1, (nextAvailable - now) / this.scale));
    if (jsonEqual(status, rs.status)) return;
    this.store.mutate(
      this.RS,
      rs.metadata.namespace,
      rs.metadata.name!,
      (o) => {
        o.status = status;
      },
      { subresource: 'status' },
    );
  }
}
