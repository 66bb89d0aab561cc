import type { KObject } from '../../api-types/index.ts';
import { rfc3339 } from '../clock.ts';
import { jsonEqual } from '../store/freeze.ts';
import type { StoreEvent } from '../store/store.ts';
import { Cache, objKey, splitKey } from '../framework/cache.ts';
import { Controller } from '../framework/controller.ts';
import {
  TRACKING_FINALIZER,
  backoffDelay,
  completionIndex,
  formatIndexes,
  hasFinalizer,
  isFinished,
  isTrue,
  finishedAt,
  jobPod,
  matchPodFailurePolicy,
  parseIndexes,
  podOutcome,
  setCondition,
  type JobCondition,
} from './job-util.ts';
import { compareForDeletion, isPodReady } from './pods.ts';
import { controllerRef } from '../framework/owner-refs.ts';
import { isConflict, isNotFound } from '../store/errors.ts';

const JOBS = 'jobs.batch';
const SOURCE = { component: 'job-controller' };
const ORPHAN = 'orphan-pod:';

interface Failure {
  reason: string;
  message: string;
}

interface Backoff {
  failures: number;
  lastFailure: number;
}

interface Uncounted {
  succeeded: string[];
  failed: string[];
}

const jobOwner = (o: KObject) => {
  const r = controllerRef(o);
  return r?.kind === 'Job' ? [r.uid] : [];
};

/**
 * The Job controller. Pods carry the `batch.kubernetes.io/job-tracking` finalizer; a finished
 * pod's uid is first written to `status.uncountedTerminatedPods`, then its finalizer removed,
 * then it moves into the counters — so an engine killed at any point never counts a pod twice.
 * Failed pods are replaced after an exponential back-off (10 s doubling, via the clock).
 */
export class JobController extends Controller {
  readonly name = 'job-controller';
  private jobs = new Cache({ uid: (o) => [o.metadata.uid!] });
  private pods = new Cache({ owner: jobOwner }, { indexedOnly: true });
  private backoff = new Map<string, Backoff>();

  protected init(): void {
    this.watch(JOBS, (ev) => {
      this.jobs.apply(ev);
      if (ev.type === 'DELETED') {
        this.backoff.delete(objKey(ev.object));
        for (const pod of this.pods.by('owner', ev.object.metadata.uid!)) this.queue.add(ORPHAN + objKey(pod));
        return;
      }
      this.queue.add(objKey(ev.object));
    });
    this.watch('pods', (ev) => this.podEvent(ev));
  }

  private podEvent(ev: StoreEvent): void {
    this.pods.apply(ev);
    const ref = jobOwner(ev.object)[0];
    if (!ref) return;
    const job = this.jobs.by('uid', ref)[0];
    if (job) this.queue.add(objKey(job));
    else if (ev.type !== 'DELETED' && hasFinalizer(ev.object)) this.queue.add(ORPHAN + objKey(ev.object));
  }

  protected sync(key: string): void {
    if (key.startsWith(ORPHAN)) return this.releaseOrphan(key.slice(ORPHAN.length));
    const [ns, name] = splitKey(key);
    const job = this.store.get(JOBS, ns, name);
    if (!job) return;
    if (job.metadata.deletionTimestamp) {
      for (const pod of this.owned(job)) if (podOutcome(pod) !== 'active') this.removeFinalizer(pod);
      return;
    }
    new JobSync(this, job, key).run();
  }

  /** A pod whose job is gone keeps no tracking finalizer. */
  private releaseOrphan(key: string): void {
    const [ns, name] = splitKey(key);
    const pod = this.store.get('pods', ns, name);
    if (!pod || !hasFinalizer(pod)) return;
    const ref = jobOwner(pod)[0];
    if (ref && this.jobs.by('uid', ref)[0]) return;
    this.removeFinalizer(pod);
  }

  // --- used by JobSync ---

  owned(job: KObject): KObject[] {
    return this.pods.by('owner', job.metadata.uid!);
  }

  removeFinalizer(pod: KObject): void {
    try {
      this.store.mutate('pods', pod.metadata.namespace, pod.metadata.name!, (p) => {
        if (!hasFinalizer(p)) return false;
        const rest = p.metadata.finalizers!.filter((f) => f !== TRACKING_FINALIZER);
        if (rest.length) p.metadata.finalizers = rest;
        else delete p.metadata.finalizers;
      });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  backoffOf(key: string): Backoff {
    return this.backoff.get(key) ?? { failures: 0, lastFailure: 0 };
  }

  setBackoff(key: string, b: Backoff): void {
    this.backoff.set(key, b);
  }

  get now(): number {
    return this.clock.now();
  }

  get timeScale(): number {
    return this.scale;
  }

  get storeRef() {
    return this.store;
  }

  event(job: KObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.ctx.recorder.record(job, type, reason, message, SOURCE);
  }

  requeueAfter(key: string, wallMs: number): void {
    this.queue.addAfter(key, Math.max(1, wallMs / this.scale));
  }
}

/** The Job status a pass writes: the fields it keeps typed, the others as stored. */
interface JobStatusDraft {
  startTime?: string;
  completionTime?: string;
  active?: number;
  ready?: number;
  terminating?: number;
  succeeded?: number;
  failed?: number;
  completedIndexes?: string;
  uncountedTerminatedPods?: { succeeded?: string[]; failed?: string[] };
  conditions?: JobCondition[];
  [field: string]: unknown;
}

/** One pass of the job controller over one job. */
class JobSync {
  private status: JobStatusDraft;
  private pods: KObject[];
  private readonly now: number;
  private readonly indexed: boolean;

  constructor(
    private c: JobController,
    private job: KObject,
    private key: string,
  ) {
    this.status = structuredClone(job.status ?? {});
    this.pods = c.owned(job);
    this.now = c.now;
    this.indexed = job.spec?.completionMode === 'Indexed';
  }

  run(): void {
    if (isFinished(this.job)) {
      for (const pod of this.pods) if (hasFinalizer(pod) && podOutcome(pod) !== 'active') this.c.removeFinalizer(pod);
      this.ttl();
      return;
    }
    const suspended = this.job.spec?.suspend === true;
    this.track(suspended);
    this.pods = this.c.owned(this.job);
    const active = this.pods.filter((p) => podOutcome(p) === 'active');
    const terminating = this.pods.filter((p) => podOutcome(p) === 'terminating');

    if (!suspended && !this.status.startTime) this.status.startTime = rfc3339(this.now);
    const failure = this.failure(active);
    const succeeded = !failure && this.successReached(active);
    if (failure) {
      setCondition(
        this.status,
        { type: 'FailureTarget', status: 'True', reason: failure.reason, message: failure.message },
        this.now,
      );
      this.deleteAll(active);
      if (active.length === 0 && terminating.length === 0) {
        setCondition(
          this.status,
          { type: 'Failed', status: 'True', reason: failure.reason, message: failure.message },
          this.now,
        );
        this.c.event(this.job, 'Warning', failure.reason, failure.message);
      }
    } else if (succeeded) {
      const why = { reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' };
      setCondition(this.status, { type: 'SuccessCriteriaMet', status: 'True', ...why }, this.now);
      this.deleteAll(active);
      if (active.length === 0 && terminating.length === 0) {
        setCondition(this.status, { type: 'Complete', status: 'True', ...why }, this.now);
        this.status.completionTime = rfc3339(this.now);
        this.c.event(this.job, 'Normal', 'Completed', 'Job completed');
      }
    } else if (suspended) {
      this.deleteAll(active);
      if (
        setCondition(
          this.status,
          { type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended' },
          this.now,
        )
      ) {
        this.c.event(this.job, 'Normal', 'Suspended', 'Job suspended');
      }
    } else {
      if (isTrue(this.job, 'Suspended')) {
        setCondition(
          this.status,
          { type: 'Suspended', status: 'False', reason: 'JobResumed', message: 'Job resumed' },
          this.now,
        );
        this.status.startTime = rfc3339(this.now);
        this.c.event(this.job, 'Normal', 'Resumed', 'Job resumed');
      }
      this.manage(active);
      this.scheduleDeadline();
    }
    this.pods = this.c.owned(this.job);
    this.writeStatus();
    if (isFinished({ ...this.job, status: this.status })) this.ttl(this.status);
  }

  // --- counting finished pods -----------------------------------------------------------------

  private uncounted(): Uncounted {
    const u = this.status.uncountedTerminatedPods ?? {};
    return { succeeded: [...(u.succeeded ?? [])], failed: [...(u.failed ?? [])] };
  }

  /**
   * Record newly finished pods in uncountedTerminatedPods (written first), remove their
   * finalizers, then move them into the counters.
   */
  private track(suspended: boolean): void {
    const u = this.uncounted();
    const known = new Set([...u.succeeded, ...u.failed]);
    const completed = new Set(parseIndexes(this.status.completedIndexes));
    const release: KObject[] = [];
    let recorded = false;
    const newSucceeded: KObject[] = [];
    const newFailed: KObject[] = [];
    for (const pod of this.pods) {
      if (!hasFinalizer(pod)) continue;
      const outcome = podOutcome(pod);
      if (outcome === 'active' || outcome === 'terminating') continue;
      const uid = pod.metadata.uid!;
      release.push(pod);
      if (known.has(uid)) continue;
      if (outcome === 'succeeded') {
        if (this.indexed) {
          const i = completionIndex(pod);
          if (i === undefined || i >= (this.job.spec.completions ?? 0)) continue;
          completed.add(i);
        }
        u.succeeded.push(uid);
        newSucceeded.push(pod);
      } else {
        // Pods removed because the job was suspended are not failures.
        if (suspended && pod.metadata.deletionTimestamp) continue;
        const match = matchPodFailurePolicy(this.job, pod);
        if (match?.action === 'Ignore') continue;
        if (
          match?.action === 'FailJob' &&
          !this.status.conditions?.some((x: { type: string }) => x.type === 'FailureTarget')
        ) {
          setCondition(
            this.status,
            { type: 'FailureTarget', status: 'True', reason: 'PodFailurePolicy', message: match.message },
            this.now,
          );
        }
        u.failed.push(uid);
        newFailed.push(pod);
      }
      recorded = true;
    }
    if (recorded) {
      this.status.uncountedTerminatedPods = u;
      if (this.indexed) this.status.completedIndexes = formatIndexes(completed);
      this.writeStatus();
    }
    for (const pod of release) this.c.removeFinalizer(pod);
    // Everything in the uncounted lists has lost its finalizer (or is gone): count it.
    const current = new Map(this.c.owned(this.job).map((p) => [p.metadata.uid!, p]));
    const stillHeld = (uid: string) => hasFinalizer(current.get(uid) ?? { metadata: {} });
    const moveS = u.succeeded.filter((x) => !stillHeld(x));
    const moveF = u.failed.filter((x) => !stillHeld(x));
    if (moveS.length || moveF.length) {
      if (this.indexed) this.status.succeeded = parseIndexes(this.status.completedIndexes).length || undefined;
      else this.status.succeeded = (this.status.succeeded ?? 0) + moveS.length || undefined;
      this.status.failed = (this.status.failed ?? 0) + moveF.length || undefined;
      this.status.uncountedTerminatedPods = {
        succeeded: u.succeeded.filter((x) => stillHeld(x)),
        failed: u.failed.filter((x) => stillHeld(x)),
      };
    }
    this.updateBackoff(newSucceeded, newFailed);
  }

  private updateBackoff(succeeded: KObject[], failed: KObject[]): void {
    if (!succeeded.length && !failed.length) return;
    const b = this.c.backoffOf(this.key);
    if (succeeded.length) b.failures = 0;
    if (failed.length) {
      b.failures += failed.length;
      b.lastFailure = this.now;
    }
    this.c.setBackoff(this.key, b);
  }

  private failedCount(): number {
    return (this.status.failed ?? 0) + (this.status.uncountedTerminatedPods?.failed?.length ?? 0);
  }

  private succeededCount(): number {
    if (this.indexed) return parseIndexes(this.status.completedIndexes).length;
    return (this.status.succeeded ?? 0) + (this.status.uncountedTerminatedPods?.succeeded?.length ?? 0);
  }

  // --- decisions ----------------------------------------------------------------------------

  private failure(active: KObject[]): Failure | undefined {
    const target = this.status.conditions?.find(
      (x: { type: string; status: string }) => x.type === 'FailureTarget' && x.status === 'True',
    );
    if (target) return { reason: target.reason, message: target.message } as Failure;
    const limit = this.job.spec?.backoffLimit ?? 6;
    const backoffExceeded = { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
    if (this.failedCount() > limit) return backoffExceeded;
    if (this.job.spec?.template?.spec?.restartPolicy === 'OnFailure') {
      let restarts = 0;
      for (const p of active)
        for (const cs of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])])
          restarts += cs?.restartCount ?? 0;
      if (limit === 0 ? restarts > 0 : restarts >= limit) return backoffExceeded;
    }
    const deadline = this.job.spec?.activeDeadlineSeconds;
    const start = Date.parse(this.status.startTime ?? '');
    if (deadline && !Number.isNaN(start) && this.now - start >= deadline * 1000 * this.c.timeScale) {
      return { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
    }
    return undefined;
  }

  private successReached(active: KObject[]): boolean {
    const completions = this.job.spec?.completions;
    const done = this.succeededCount();
    if (completions == null) return done > 0 && active.length === 0;
    return done >= completions;
  }

  private scheduleDeadline(): void {
    const deadline = this.job.spec?.activeDeadlineSeconds;
    const start = Date.parse(this.status.startTime ?? '');
    if (!deadline || Number.isNaN(start)) return;
    this.c.requeueAfter(this.key, start + deadline * 1000 * this.c.timeScale - this.now);
  }

  // --- pods ---------------------------------------------------------------------------------

  private manage(active: KObject[]): void {
    const parallelism = this.job.spec?.parallelism ?? 1;
    const completions = this.job.spec?.completions;
    if (this.indexed) return this.manageIndexed(active, parallelism, completions ?? 0);
    const done = this.succeededCount();
    let want: number;
    if (completions == null) want = done > 0 ? 0 : parallelism;
    else want = Math.max(0, Math.min(parallelism, completions - done));
    if (active.length > want) {
      const victims = [...active].sort((a, b) => compareForDeletion(a, b)).slice(0, active.length - want);
      this.deleteAll(victims);
    } else if (active.length < want) {
      if (this.waitForBackoff()) return;
      for (let i = active.length; i < want; i++) this.create();
    }
  }

  private manageIndexed(active: KObject[], parallelism: number, completions: number): void {
    const completed = new Set(parseIndexes(this.status.completedIndexes));
    const running = new Map<number, KObject[]>();
    const extra: KObject[] = [];
    for (const p of active) {
      const i = completionIndex(p);
      if (i === undefined || i >= completions || completed.has(i)) extra.push(p);
      else running.set(i, [...(running.get(i) ?? []), p]);
    }
    for (const list of running.values()) if (list.length > 1) extra.push(...list.slice(1));
    this.deleteAll(extra);
    let slots = parallelism - running.size;
    if (slots <= 0) return;
    const pending: number[] = [];
    for (let i = 0; i < completions && pending.length < slots; i++)
      if (!completed.has(i) && !running.has(i)) pending.push(i);
    if (!pending.length || this.waitForBackoff()) return;
    for (const i of pending) {
      if (slots-- <= 0) break;
      this.create(i);
    }
  }

  /** True (and a requeue) while the back-off after the last failure has not passed. */
  private waitForBackoff(): boolean {
    const b = this.c.backoffOf(this.key);
    if (!b.failures) return false;
    const left = b.lastFailure + backoffDelay(b.failures) * this.c.timeScale - this.now;
    if (left <= 0) return false;
    this.c.requeueAfter(this.key, left);
    return true;
  }

  private create(index?: number): void {
    try {
      const pod = this.c.storeRef.create('pods', jobPod(this.job, index));
      this.c.event(this.job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
    } catch (e) {
      this.c.event(this.job, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`);
      throw e;
    }
  }

  private deleteAll(pods: KObject[]): void {
    for (const pod of pods) {
      try {
        this.c.storeRef.delete('pods', pod.metadata.namespace, pod.metadata.name!);
        this.c.event(this.job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  // --- status -------------------------------------------------------------------------------

  private writeStatus(): void {
    const pods = this.c.owned(this.job);
    const s = this.status;
    const active = pods.filter((p) => podOutcome(p) === 'active');
    s.active = active.length || undefined;
    s.ready = active.filter(isPodReady).length;
    s.terminating = pods.filter((p) => podOutcome(p) === 'terminating').length;
    const u = s.uncountedTerminatedPods ?? {};
    s.uncountedTerminatedPods = {
      ...(u.succeeded?.length ? { succeeded: u.succeeded } : {}),
      ...(u.failed?.length ? { failed: u.failed } : {}),
    };
    for (const k of Object.keys(s)) if (s[k] === undefined) delete s[k];
    const cur = this.c.storeRef.get(JOBS, this.job.metadata.namespace, this.job.metadata.name!);
    if (!cur || cur.metadata.uid !== this.job.metadata.uid || jsonEqual(s, cur.status)) return;
    this.job = this.c.storeRef.mutate(
      JOBS,
      this.job.metadata.namespace,
      this.job.metadata.name!,
      (o) => {
        o.status = structuredClone(s);
      },
      { subresource: 'status' },
    );
  }

  /** ttlSecondsAfterFinished: delete the finished job (and, in the foreground, its pods). */
  private ttl(status = this.job.status): void {
    const ttl = this.job.spec?.ttlSecondsAfterFinished;
    if (ttl == null) return;
    const at = finishedAt({ ...this.job, status });
    if (Number.isNaN(at)) return;
    const left = at + ttl * 1000 * this.c.timeScale - this.now;
    if (left > 0) return this.c.requeueAfter(this.key, left);
    try {
      this.c.storeRef.delete(JOBS, this.job.metadata.namespace, this.job.metadata.name!, {
        propagationPolicy: 'Foreground',
        preconditions: { uid: this.job.metadata.uid },
      });
    } catch (e) {
      // Gone, or replaced by a job of the same name (the uid precondition fails).
      if (!isNotFound(e) && !isConflict(e)) throw e;
    }
  }
}
