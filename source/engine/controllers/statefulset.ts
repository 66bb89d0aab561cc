import type { StatefulSetStatus } from 'kubernetes-types/apps/v1.d.ts';
import type { KObject } from '../../api-types/index.ts';
import { withoutUndefined } from '../framework/without-undefined.ts';
import { intOrPercent } from '../resources/validation.ts';
import { jsonEqual } from '../store/freeze.ts';
import { Cache, objKey, splitKey } from '../framework/cache.ts';
import { Controller } from '../framework/controller.ts';
import { REVISIONS, REVISION_HASH_LABEL, ensureRevision, revisionTemplate, trimHistory } from './history.ts';
import { isPodAvailable, isPodReady, podFromTemplate, readySince } from './pods.ts';
import { controllerRef } from '../framework/owner-refs.ts';
import { attachClaims, ensureClaims, updateClaimOwners } from './statefulset-claims.ts';

const STS = 'statefulsets.apps';
const SOURCE = { component: 'statefulset-controller' };
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

const owner = (kind: string) => (o: KObject) => {
  const r = controllerRef(o);
  return r?.kind === kind ? [r.uid] : [];
};

/** The ordinal in `<set>-<n>`, or -1 when the name is not one of the set's. */
export function ordinalOf(set: KObject, pod: KObject): number {
  const prefix = `${set.metadata.name}-`;
  const name = pod.metadata.name ?? '';
  if (!name.startsWith(prefix)) return -1;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : -1;
}

const isTerminal = (p: KObject) => p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded';
const isRunningReady = (p: KObject) => p.status?.phase === 'Running' && isPodReady(p);

/**
 * The StatefulSet controller (upstream's stateful_set_control): pods `<name>-0…N-1` with
 * stable hostnames, created in order and each only once the previous one is Running and Ready
 * (OrderedReady) or all at once (Parallel); removed highest ordinal first; rolling updates go
 * from the highest ordinal down to the partition, maxUnavailable at a time; OnDelete leaves
 * replacing to the user. Templates are versioned as ControllerRevisions.
 */
export class StatefulSetController extends Controller {
  readonly name = 'statefulset-controller';
  private sets = new Cache({ uid: (o) => [o.metadata.uid!] });
  private pods = new Cache({ owner: owner('StatefulSet') }, { indexedOnly: true });
  private revisions = new Cache({ owner: owner('StatefulSet') });

  protected init(): void {
    this.watch(STS, (ev) => {
      this.sets.apply(ev);
      if (ev.type !== 'DELETED') this.queue.add(objKey(ev.object));
    });
    this.watch(REVISIONS, (ev) => this.revisions.apply(ev));
    this.watch('persistentvolumeclaims', (ev) => {
      if (ev.type !== 'DELETED') return;
      for (const set of this.sets.all())
        if (set.metadata.namespace === ev.object.metadata.namespace) this.queue.add(objKey(set));
    });
    this.watch('pods', (ev) => {
      this.pods.apply(ev);
      for (const uid of owner('StatefulSet')(ev.object)) {
        const set = this.sets.by('uid', uid)[0];
        if (set) this.queue.add(objKey(set));
      }
    });
  }

  private event(set: KObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.ctx.recorder.record(set, type, reason, message, SOURCE);
  }

  protected sync(key: string): void {
    const [ns, name] = splitKey(key);
    const set = this.store.get(STS, ns, name);
    if (!set || set.metadata.deletionTimestamp) return;
    const revisions = () => this.revisions.by('owner', set.metadata.uid!);
    const update = ensureRevision(this.store, set, revisions());
    const all = revisions();
    const current = all.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
    const pods = this.pods.by('owner', set.metadata.uid!);
    this.reconcile(set, pods, current, update);
    const status = this.status(set, this.pods.by('owner', set.metadata.uid!), current, update);
    const live = new Set<string>([
      String(status.currentRevision),
      String(status.updateRevision),
      ...this.pods.by('owner', set.metadata.uid!).map((p) => p.metadata.labels?.[REVISION_HASH_LABEL] ?? ''),
    ]);
    trimHistory(this.store, set, revisions(), live);
    if (!jsonEqual(status, set.status)) {
      this.store.mutate(
        STS,
        ns,
        name,
        (o) => {
          o.status = status;
        },
        { subresource: 'status' },
      );
    }
  }

  private reconcile(set: KObject, pods: KObject[], current: KObject, update: KObject): void {
    const replicas: number = set.spec.replicas ?? 1;
    const ordered = set.spec.podManagementPolicy !== 'Parallel';
    const now = this.clock.now();
    const minReady = set.spec.minReadySeconds ?? 0;
    const slots: Array<KObject | undefined> = new Array(replicas).fill(undefined);
    const condemned: KObject[] = [];
    for (const p of pods) {
      const i = ordinalOf(set, p);
      if (i < 0) continue;
      if (i < replicas) slots[i] = p;
      else condemned.push(p);
    }
    condemned.sort((a, b) => ordinalOf(set, b) - ordinalOf(set, a));
    for (const p of pods) {
      const i = ordinalOf(set, p);
      if (i >= 0 && !p.metadata.deletionTimestamp) updateClaimOwners(this.store, set, p, i, i >= replicas);
    }

    // Failed or finished pods are replaced; with OrderedReady the first gap stops the walk.
    for (let i = 0; i < replicas; i++) {
      const pod = slots[i];
      if (pod && isTerminal(pod) && !pod.metadata.deletionTimestamp) {
        this.deletePod(set, pod, `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
        if (ordered) return;
        continue;
      }
      if (!pod) {
        this.createPod(set, i, this.revisionFor(set, i, current, update));
        if (ordered) return;
        continue;
      }
      if (ordered && (pod.metadata.deletionTimestamp || !isRunningReady(pod))) return;
      if (ordered && minReady && !isPodAvailable(pod, minReady, now, this.scale)) {
        this.queue.addAfter(
          objKey(set),
          Math.max(1, (readySince(pod) + minReady * 1000 * this.scale - now) / this.scale),
        );
        return;
      }
    }
    // Scale down, highest ordinal first; with OrderedReady only while everything else is healthy.
    for (const pod of condemned) {
      if (pod.metadata.deletionTimestamp) {
        if (ordered) return;
        continue;
      }
      if (ordered && slots.some((p) => !p || !isRunningReady(p))) return;
      this.deletePod(set, pod, `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
      if (ordered) return;
    }
    if (set.spec.updateStrategy?.type === 'OnDelete') return;
    this.rollingUpdate(set, slots as KObject[], update);
  }

  /** Replace old-revision pods from the highest ordinal down to the partition. */
  private rollingUpdate(set: KObject, slots: KObject[], update: KObject): void {
    const ru = set.spec.updateStrategy?.rollingUpdate ?? {};
    const partition: number = ru.partition ?? 0;
    const replicas = slots.length;
    const maxUnavailable = Math.max(1, intOrPercent(ru.maxUnavailable ?? 1, replicas, false) || 1);
    const minReady = set.spec.minReadySeconds ?? 0;
    const now = this.clock.now();
    const available = (p: KObject) =>
      !p.metadata.deletionTimestamp && isRunningReady(p) && isPodAvailable(p, minReady, now, this.scale);
    let unavailable = slots.slice(partition).filter((p) => !available(p)).length;
    for (let i = replicas - 1; i >= partition; i--) {
      const pod = slots[i]!;
      if (pod.metadata.deletionTimestamp) continue;
      if (pod.metadata.labels?.[REVISION_HASH_LABEL] !== update.metadata.name) {
        if (unavailable >= maxUnavailable && available(pod)) return;
        this.deletePod(set, pod, `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
        if (available(pod)) unavailable++;
        if (unavailable >= maxUnavailable) return;
      }
    }
  }

  /** Below the partition, a new pod keeps the current revision (RollingUpdate only). */
  private revisionFor(set: KObject, ordinal: number, current: KObject, update: KObject): KObject {
    if (set.spec.updateStrategy?.type !== 'RollingUpdate') return update;
    const partition = set.spec.updateStrategy.rollingUpdate?.partition ?? 0;
    return ordinal < partition ? current : update;
  }

  private createPod(set: KObject, ordinal: number, revision: KObject): void {
    const name = `${set.metadata.name}-${ordinal}`;
    const pod = podFromTemplate(revisionTemplate(revision), set, {
      [REVISION_HASH_LABEL]: revision.metadata.name!,
      [POD_NAME_LABEL]: name,
      [POD_INDEX_LABEL]: String(ordinal),
    });
    delete pod.metadata.generateName;
    pod.metadata.name = name;
    pod.spec.hostname = name;
    if (set.spec.serviceName) pod.spec.subdomain = set.spec.serviceName;
    if (!this.createClaims(set, name, ordinal)) return;
    attachClaims(set, pod, ordinal);
    try {
      this.store.create('pods', pod);
      this.event(
        set,
        'Normal',
        'SuccessfulCreate',
        `create Pod ${name} in StatefulSet ${set.metadata.name} successful`,
      );
    } catch (e) {
      this.event(
        set,
        'Warning',
        'FailedCreate',
        `create Pod ${name} in StatefulSet ${set.metadata.name} failed error: ${(e as Error).message}`,
      );
      throw e;
    }
  }

  /** False while one of the pod's claims is still being deleted: the pod waits for it to go. */
  private createClaims(set: KObject, podName: string, ordinal: number): boolean {
    const setName = set.metadata.name;
    try {
      const { created, deleting } = ensureClaims(this.store, set, ordinal);
      for (const c of created)
        this.event(
          set,
          'Normal',
          'SuccessfulCreate',
          `create Claim ${c} Pod ${podName} in StatefulSet ${setName} success`,
        );
      if (deleting.length) {
        this.event(
          set,
          'Warning',
          'FailedCreate',
          `create Pod ${podName} in StatefulSet ${setName} failed error: pvc ${deleting[0]} is being deleted`,
        );
        return false;
      }
      return true;
    } catch (e) {
      this.event(
        set,
        'Warning',
        'FailedCreate',
        `create Claim for Pod ${podName} in StatefulSet ${setName} failed error: ${(e as Error).message}`,
      );
      throw e;
    }
  }

  private deletePod(set: KObject, pod: KObject, message: string): void {
    try {
      this.store.delete('pods', pod.metadata.namespace, pod.metadata.name!);
      this.event(set, 'Normal', 'SuccessfulDelete', message);
    } catch {
      // gone already
    }
  }

  private status(set: KObject, pods: KObject[], current: KObject, update: KObject): StatefulSetStatus {
    const now = this.clock.now();
    const minReady = set.spec.minReadySeconds ?? 0;
    let replicas = 0;
    let ready = 0;
    let available = 0;
    let currentReplicas = 0;
    let updated = 0;
    for (const p of pods) {
      if (ordinalOf(set, p) < 0 || isTerminal(p)) continue;
      replicas++;
      if (isRunningReady(p)) ready++;
      if (isRunningReady(p) && isPodAvailable(p, minReady, now, this.scale)) available++;
      const rev = p.metadata.labels?.[REVISION_HASH_LABEL];
      if (p.metadata.deletionTimestamp) continue;
      if (rev === current.metadata.name) currentReplicas++;
      if (rev === update.metadata.name) updated++;
    }
    const status: StatefulSetStatus = {
      observedGeneration: set.metadata.generation,
      replicas,
      readyReplicas: ready || undefined,
      currentReplicas: currentReplicas || undefined,
      updatedReplicas: updated || undefined,
      currentRevision: current.metadata.name,
      updateRevision: update.metadata.name,
      collisionCount: set.status?.collisionCount ?? 0,
      availableReplicas: available,
    };
    // A finished rolling update makes the update revision current.
    const want = set.spec.replicas ?? 1;
    if (set.spec.updateStrategy?.type === 'RollingUpdate' && updated === want && ready === want && replicas === want) {
      status.currentRevision = update.metadata.name;
      status.currentReplicas = updated || undefined;
    }
    return withoutUndefined(status);
  }
}
