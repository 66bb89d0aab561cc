import type { KObject } from '../../api-types/index.ts';
import { ApiError, isNotFound } from '../store/errors.ts';
import { jsonEqual } from '../store/freeze.ts';
import type { StoreEvent } from '../store/store.ts';
import {
  calculateStatus,
  deploymentComplete,
  hasProgressDeadline,
  newCondition,
  rolloutStatus,
  stuckRecheckMs,
} from './deployment-status.ts';
import {
  DESIRED_REPLICAS,
  HASH_LABEL,
  REVISION,
  active,
  byCreation,
  byRevision,
  bySize,
  computeHash,
  equalIgnoreHash,
  getCondition,
  activeOrLatest,
  intAnnotation,
  isRollingUpdate,
  isSaturated,
  newRSReplicas,
  proportion,
  maxRevision,
  maxSurge,
  maxUnavailable,
  replicasOf,
  setCondition,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  sumSpec,
  sumStatus,
  type DeploymentStatusDraft,
} from './deployment-util.ts';
import { Cache, objKey, splitKey } from '../framework/cache.ts';
import { Controller } from '../framework/controller.ts';
import { controllerRef, newControllerRef } from '../framework/owner-refs.ts';
import { selectorMatcher } from './pods.ts';

const DEPLOY = 'deployments.apps';
const RS = 'replicasets.apps';
const SOURCE = { component: 'deployment-controller' };

const ownerIndex = (o: KObject) => [controllerRef(o)?.uid ?? `orphan/${o.metadata.namespace}`];

interface Sets {
  newRS: KObject | undefined;
  oldRSs: KObject[];
}

/**
 * The Deployment controller (upstream pkg/controller/deployment): one ReplicaSet per pod template, rolling updates
 * or Recreate between them, proportional scaling, revisions and the rollout conditions.
 */
export class DeploymentController extends Controller {
  readonly name = 'deployment-controller';
  private deployments = new Cache({ ns: (o) => [o.metadata.namespace!], uid: (o) => [o.metadata.uid!] });
  private sets = new Cache({ owner: ownerIndex, uid: (o) => [o.metadata.uid!] });

  protected init(): void {
    this.watch(DEPLOY, (ev) => {
      this.deployments.apply(ev);
      this.queue.add(objKey(ev.object));
    });
    this.watch(RS, (ev) => {
      this.sets.apply(ev);
      this.enqueueOwner(ev.object);
      if (ev.prev && controllerRef(ev.prev)?.uid !== controllerRef(ev.object)?.uid) this.enqueueOwner(ev.prev);
    });
    this.watch('pods', (ev) => this.podEvent(ev));
  }

  private enqueueOwner(rs: KObject): void {
    const ref = controllerRef(rs);
    if (ref) {
      const d = ref.kind === 'Deployment' ? this.deployments.by('uid', ref.uid)[0] : undefined;
      if (d) this.queue.add(objKey(d));
      return;
    }
    for (const d of this.deployments.by('ns', rs.metadata.namespace!)) {
      if (selectorMatcher(d.spec?.selector)(rs.metadata.labels)) this.queue.add(objKey(d));
    }
  }

  /** A Recreate rollout waits for the old pods to be gone. */
  private podEvent(ev: StoreEvent): void {
    if (ev.type !== 'DELETED') return;
    const ref = controllerRef(ev.object);
    const rs = ref?.kind === 'ReplicaSet' ? this.sets.by('uid', ref.uid)[0] : undefined;
    const dref = rs && controllerRef(rs);
    const d = dref ? this.deployments.by('uid', dref.uid)[0] : undefined;
    if (d && !isRollingUpdate(d)) this.queue.add(objKey(d));
  }

  protected sync(key: string): void {
    const [ns, name] = splitKey(key);
    const stored = this.store.get(DEPLOY, ns, name);
    if (!stored) return;
    const d = structuredClone(stored) as KObject;
    d.status ??= {};
    this.claimReplicaSets(d);
    if (d.metadata.deletionTimestamp) {
      const { newRS, oldRSs } = this.getAll(d, false);
      this.saveStatus(d, calculateStatus(this.all(newRS, oldRSs), newRS, d, this.clock.now()));
      return;
    }
    this.checkPausedConditions(d);
    if (d.spec.paused || this.isScalingEvent(d)) return this.syncScale(d);
    if (isRollingUpdate(d)) this.rolloutRolling(d);
    else this.rolloutRecreate(d);
  }

  // --- ReplicaSet ownership -------------------------------------------------------------

  private owned(d: KObject): KObject[] {
    const match = selectorMatcher(d.spec?.selector);
    return this.sets.by('owner', d.metadata.uid!).filter((rs) => match(rs.metadata.labels));
  }

  private claimReplicaSets(d: KObject): void {
    if (d.metadata.deletionTimestamp) return;
    const match = selectorMatcher(d.spec?.selector);
    const uid = d.metadata.uid!;
    for (const rs of this.sets.by('owner', uid)) {
      if (match(rs.metadata.labels)) continue;
      this.mutateRS(rs, (o) => {
        o.metadata.ownerReferences = (o.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
        if (!o.metadata.ownerReferences.length) delete o.metadata.ownerReferences;
      });
    }
    for (const rs of this.sets.by('owner', `orphan/${d.metadata.namespace}`)) {
      if (rs.metadata.deletionTimestamp || !match(rs.metadata.labels)) continue;
      this.mutateRS(rs, (o) => {
        if (controllerRef(o)) return false;
        o.metadata.ownerReferences = [...(o.metadata.ownerReferences ?? []), newControllerRef(d)];
      });
    }
  }

  private mutateRS(rs: KObject, fn: (o: KObject) => boolean | void): KObject {
    return this.store.mutate(RS, rs.metadata.namespace, rs.metadata.name!, fn);
  }

  private all(newRS: KObject | undefined, oldRSs: KObject[]): KObject[] {
    return newRS ? [...oldRSs, newRS] : [...oldRSs];
  }

  /**
   * The new RS is the oldest one whose template equals the deployment's ignoring the hash;
   * every other owned RS is old. Creates the new RS when asked and syncs revisions.
   */
  private getAll(d: KObject, create: boolean): Sets {
    const sorted = this.owned(d).sort(byCreation);
    const existing = sorted.find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
    const oldRSs = sorted.filter((rs) => rs !== existing);
    return { newRS: this.getNewReplicaSet(d, existing, oldRSs, create), oldRSs };
  }

  private getNewReplicaSet(
    d: KObject,
    existing: KObject | undefined,
    oldRSs: KObject[],
    create: boolean,
  ): KObject | undefined {
    const newRevision = maxRevision(oldRSs) + 1;
    const now = this.clock.now();
    if (existing) {
      const copy = structuredClone(existing) as KObject;
      const annotationsChanged = setNewReplicaSetAnnotations(d, copy, newRevision, true);
      const minReady = d.spec.minReadySeconds ?? 0;
      let rs = existing;
      if (annotationsChanged || (existing.spec?.minReadySeconds ?? 0) !== minReady) {
        rs = this.mutateRS(existing, (o) => {
          o.metadata.annotations = copy.metadata.annotations;
          if (minReady) o.spec.minReadySeconds = minReady;
          else delete o.spec.minReadySeconds;
        });
      }
      this.saveRevision(d, rs.metadata.annotations?.[REVISION]);
      if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
        const status = structuredClone(d.status);
        setCondition(
          status,
          newCondition(now, 'Progressing', 'True', 'FoundNewReplicaSet', `Found new replica set "${rs.metadata.name}"`),
        );
        this.saveStatus(d, status);
      }
      return rs;
    }
    if (!create) return undefined;

    const hash = computeHash(d.spec.template, d.status.collisionCount);
    const template = structuredClone(d.spec.template);
    template.metadata ??= {};
    template.metadata.labels = { ...(template.metadata.labels ?? {}), [HASH_LABEL]: hash };
    const selector = structuredClone(d.spec.selector);
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [HASH_LABEL]: hash };
    const name = `${d.metadata.name}-${hash}`;
    const rs: KObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: d.metadata.namespace,
        labels: template.metadata.labels,
        ownerReferences: [newControllerRef(d)],
      },
      spec: { replicas: 0, selector, template },
    };
    if (d.spec.minReadySeconds) rs.spec.minReadySeconds = d.spec.minReadySeconds;
    rs.spec.replicas = newRSReplicas(d, [...oldRSs, rs], rs);
    setNewReplicaSetAnnotations(d, rs, newRevision, false);

    let created: KObject;
    let alreadyExists = false;
    try {
      created = this.store.create(RS, rs);
    } catch (e) {
      const cur =
        e instanceof ApiError && e.reason === 'AlreadyExists'
          ? this.store.get(RS, d.metadata.namespace, name)
          : undefined;
      if (cur && controllerRef(cur)?.uid === d.metadata.uid && equalIgnoreHash(d.spec.template, cur.spec?.template)) {
        created = cur;
        alreadyExists = true;
      } else if (cur) {
        // A different template hashed to the same name: bump collisionCount and retry.
        this.saveStatus(d, { ...structuredClone(d.status), collisionCount: (d.status.collisionCount ?? 0) + 1 });
        throw e;
      } else {
        if (hasProgressDeadline(d)) {
          const status = structuredClone(d.status);
          setCondition(
            status,
            newCondition(
              now,
              'Progressing',
              'False',
              'ReplicaSetCreateError',
              `Failed to create new replica set "${name}": ${(e as Error).message}`,
            ),
          );
          this.saveStatus(d, status);
        }
        throw e;
      }
    }
    if (!alreadyExists && replicasOf(created) > 0) {
      this.event(d, `Scaled up replica set ${name} to ${replicasOf(created)}`);
    }
    this.saveRevision(d, String(newRevision));
    if (!alreadyExists && hasProgressDeadline(d)) {
      const status = structuredClone(d.status);
      setCondition(
        status,
        newCondition(now, 'Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${name}"`),
      );
      this.saveStatus(d, status);
    }
    return created;
  }

  // --- writes ----------------------------------------------------------------------------

  private event(d: KObject, message: string): void {
    this.ctx.recorder.record(d, 'Normal', 'ScalingReplicaSet', message, SOURCE);
  }

  private saveRevision(d: KObject, revision: string | undefined): void {
    if (revision === undefined || d.metadata.annotations?.[REVISION] === revision) return;
    d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [REVISION]: revision };
    this.store.mutate(DEPLOY, d.metadata.namespace, d.metadata.name!, (o) => {
      if (o.metadata.uid !== d.metadata.uid) return false;
      o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [REVISION]: revision };
    });
  }

  /** Write the status when it differs; keeps the working copy `d` in step. */
  private saveStatus(d: KObject, status: DeploymentStatusDraft): boolean {
    if (jsonEqual(status, d.status)) return false;
    d.status = status;
    this.store.mutate(
      DEPLOY,
      d.metadata.namespace,
      d.metadata.name!,
      (o) => {
        if (o.metadata.uid !== d.metadata.uid) return false;
        o.status = structuredClone(status);
      },
      { subresource: 'status' },
    );
    return true;
  }

  /** Scale a ReplicaSet, refreshing its replica annotations; an event when the size changes. */
  private scaleRS(rs: KObject, size: number, d: KObject, op?: 'up' | 'down'): { scaled: boolean; rs: KObject } {
    const from = replicasOf(rs);
    const copy = structuredClone(rs) as KObject;
    const annotations = setReplicasAnnotations(copy, replicasOf(d), replicasOf(d) + maxSurge(d));
    if (from === size && !annotations) return { scaled: false, rs };
    const out = this.mutateRS(rs, (o) => {
      o.spec.replicas = size;
      o.metadata.annotations = copy.metadata.annotations;
    });
    if (from !== size) {
      const dir = op ?? (from < size ? 'up' : 'down');
      this.event(d, `Scaled ${dir} replica set ${rs.metadata.name} to ${size} from ${from}`);
    }
    return { scaled: from !== size, rs: out };
  }

  private scaleAndRecord(rs: KObject, size: number, d: KObject): { scaled: boolean; rs: KObject } {
    if (replicasOf(rs) === size) return { scaled: false, rs };
    return this.scaleRS(rs, size, d);
  }

  // --- pause, scaling ---------------------------------------------------------------------

  private checkPausedConditions(d: KObject): void {
    if (!hasProgressDeadline(d)) return;
    const cond = getCondition(d.status, 'Progressing');
    if (cond?.reason === 'ProgressDeadlineExceeded') return;
    const pausedCond = cond?.reason === 'DeploymentPaused';
    const now = this.clock.now();
    const status = structuredClone(d.status);
    if (d.spec.paused && !pausedCond) {
      setCondition(status, newCondition(now, 'Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused'));
    } else if (!d.spec.paused && pausedCond) {
      setCondition(status, newCondition(now, 'Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed'));
    } else return;
    this.saveStatus(d, status);
  }

  private isScalingEvent(d: KObject): boolean {
    const { newRS, oldRSs } = this.getAll(d, false);
    for (const rs of active(this.all(newRS, oldRSs))) {
      const desired = intAnnotation(rs, DESIRED_REPLICAS);
      if (desired !== undefined && desired !== replicasOf(d)) return true;
    }
    return false;
  }

  /** Scaling only (and paused deployments): no new ReplicaSet, sizes follow spec.replicas. */
  private syncScale(d: KObject): void {
    const { newRS, oldRSs } = this.getAll(d, false);
    const sets = this.scaleSets(d, newRS, oldRSs);
    if (d.spec.paused) this.cleanup(sets.oldRSs, d);
    this.saveStatus(d, calculateStatus(this.all(sets.newRS, sets.oldRSs), sets.newRS, d, this.clock.now()));
  }

  private scaleSets(d: KObject, newRS: KObject | undefined, oldRSs: KObject[]): Sets {
    const want = replicasOf(d);
    const replace = (rs: KObject) => {
      if (newRS && rs.metadata.uid === newRS.metadata.uid) newRS = rs;
      oldRSs = oldRSs.map((o) => (o.metadata.uid === rs.metadata.uid ? rs : o));
    };
    const target = activeOrLatest(newRS, oldRSs);
    if (target) {
      if (replicasOf(target) !== want) replace(this.scaleAndRecord(target, want, d).rs);
      return { newRS, oldRSs };
    }
    if (newRS && isSaturated(d, newRS)) {
      for (const old of active(oldRSs)) replace(this.scaleAndRecord(old, 0, d).rs);
      return { newRS, oldRSs };
    }
    if (!isRollingUpdate(d)) return { newRS, oldRSs };
    // Spread the difference over the active sets in proportion to their max-replicas annotation.
    const sets = active(this.all(newRS, oldRSs));
    const allowed = want > 0 ? want + maxSurge(d) : 0;
    const toAdd = allowed - sumSpec(sets);
    if (toAdd > 0) sets.sort(bySize(true));
    else if (toAdd < 0) sets.sort(bySize(false));
    const sizes = new Map<string, number>();
    let added = 0;
    for (const rs of sets) {
      if (toAdd === 0) {
        sizes.set(rs.metadata.name!, replicasOf(rs));
        continue;
      }
      const p = proportion(rs, d, toAdd, added);
      sizes.set(rs.metadata.name!, replicasOf(rs) + p);
      added += p;
    }
    sets.forEach((rs, i) => {
      let size = sizes.get(rs.metadata.name!)!;
      if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
      replace(this.scaleRS(rs, size, d, toAdd > 0 ? 'up' : 'down').rs);
    });
    return { newRS, oldRSs };
  }

  // --- rollouts ---------------------------------------------------------------------------

  private rolloutRolling(d: KObject): void {
    let { newRS, oldRSs } = this.getAll(d, true);
    const now = () => this.clock.now();
    const finish = () => this.syncRolloutStatus(this.all(newRS, oldRSs), newRS, d, now());
    if (!newRS) return finish();
    // Scale the new ReplicaSet up within maxSurge.
    if (replicasOf(newRS) !== replicasOf(d)) {
      const size = replicasOf(newRS) > replicasOf(d) ? replicasOf(d) : newRSReplicas(d, this.all(newRS, oldRSs), newRS);
      const r = this.scaleAndRecord(newRS, size, d);
      newRS = r.rs;
      if (r.scaled) return finish();
    }
    // Scale old ReplicaSets down within maxUnavailable.
    const r = this.reconcileOld(d, newRS, oldRSs);
    oldRSs = r.oldRSs;
    if (r.scaled) return finish();
    if (deploymentComplete(d, d.status)) this.cleanup(oldRSs, d);
    finish();
  }

  private reconcileOld(d: KObject, newRS: KObject, oldRSs: KObject[]): { scaled: boolean; oldRSs: KObject[] } {
    if (sumSpec(active(oldRSs)) === 0) return { scaled: false, oldRSs };
    const minAvailable = replicasOf(d) - maxUnavailable(d);
    const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
    const maxScaledDown = sumSpec([...oldRSs, newRS]) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return { scaled: false, oldRSs };
    const sorted = [...oldRSs].sort(byCreation);
    let total = 0;
    // First take down old replicas that are not available: they only block the rollout.
    for (let i = 0; i < sorted.length && total < maxScaledDown; i++) {
      const rs = sorted[i]!;
      const spec = replicasOf(rs);
      const avail = rs.status?.availableReplicas ?? 0;
      if (spec === 0 || spec === avail) continue;
      const count = Math.min(maxScaledDown - total, spec - avail);
      sorted[i] = this.scaleAndRecord(rs, spec - count, d).rs;
      total += count;
    }
    // Then available ones, as long as enough stay available.
    const available = sumStatus([...sorted, newRS], 'availableReplicas');
    if (available > minAvailable) {
      const budget = available - minAvailable;
      let done = 0;
      for (let i = 0; i < sorted.length && done < budget; i++) {
        const spec = replicasOf(sorted[i]!);
        if (spec === 0) continue;
        const count = Math.min(spec, budget - done);
        sorted[i] = this.scaleAndRecord(sorted[i]!, spec - count, d).rs;
        done += count;
      }
      total += done;
    }
    return { scaled: total > 0, oldRSs: sorted };
  }

  private rolloutRecreate(d: KObject): void {
    let { newRS, oldRSs } = this.getAll(d, false);
    const finish = () => this.syncRolloutStatus(this.all(newRS, oldRSs), newRS, d, this.clock.now());
    let scaledDown = false;
    oldRSs = oldRSs.map((rs) => {
      if (replicasOf(rs) === 0) return rs;
      const r = this.scaleAndRecord(rs, 0, d);
      scaledDown ||= r.scaled;
      return r.rs;
    });
    if (scaledDown || this.oldPodsRunning(newRS, oldRSs)) return finish();
    if (!newRS) ({ newRS, oldRSs } = this.getAll(d, true));
    if (newRS) newRS = this.scaleAndRecord(newRS, replicasOf(d), d).rs;
    if (deploymentComplete(d, d.status)) this.cleanup(oldRSs, d);
    finish();
  }

  private oldPodsRunning(newRS: KObject | undefined, oldRSs: KObject[]): boolean {
    if (sumStatus(oldRSs, 'replicas') > 0) return true;
    const old = new Set(oldRSs.map((rs) => rs.metadata.uid));
    if (!old.size) return false;
    const ns = newRS?.metadata.namespace ?? oldRSs[0]!.metadata.namespace;
    for (const pod of this.store.list('pods', { namespace: ns }).items) {
      const ref = controllerRef(pod);
      if (!ref || !old.has(ref.uid)) continue;
      const phase = pod.status?.phase;
      if (phase !== 'Succeeded' && phase !== 'Failed') return true;
    }
    return false;
  }

  private syncRolloutStatus(all: KObject[], newRS: KObject | undefined, d: KObject, now: number): void {
    const status = rolloutStatus(all, newRS, d, now, this.scale);
    if (this.saveStatus(d, status)) return;
    const recheck = stuckRecheckMs(d, status, now, this.scale);
    if (recheck !== undefined) this.queue.addAfter(objKey(d), recheck);
  }

  /** Delete the oldest unused ReplicaSets beyond revisionHistoryLimit. */
  private cleanup(oldRSs: KObject[], d: KObject): void {
    const limit = d.spec.revisionHistoryLimit;
    if (typeof limit !== 'number') return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp).sort(byRevision);
    const diff = cleanable.length - limit;
    for (let i = 0; i < diff; i++) {
      const rs = cleanable[i]!;
      if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0) continue;
      if ((rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      try {
        this.store.delete(RS, rs.metadata.namespace, rs.metadata.name!);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }
}
