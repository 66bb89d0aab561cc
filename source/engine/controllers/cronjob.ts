import type { CronJobStatus } from 'kubernetes-types/batch/v1.d.ts';
import type { KObject } from '../../api-types/index.ts';
import { withoutUndefined } from '../framework/without-undefined.ts';
import { rfc3339 } from '../clock.ts';
import { parseSchedule, type Schedule } from '../resources/cron-schedule.ts';
import { jsonEqual } from '../store/freeze.ts';
import { ApiError } from '../store/errors.ts';
import { Cache, objKey, splitKey } from '../framework/cache.ts';
import { Controller } from '../framework/controller.ts';
import { conditionOf, isFinished, isTrue } from './job-util.ts';
import { controllerRef, newControllerRef } from '../framework/owner-refs.ts';
import { CronCalendar } from './cron-calendar.ts';

const CRONJOBS = 'cronjobs.batch';
const JOBS = 'jobs.batch';
const SOURCE = { component: 'cronjob-controller' };
export const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** Past this many missed start times the controller warns (and still runs only the latest). */
const TOO_MANY_MISSED = 100;
/** Upper bound on schedule iterations when counting missed times (a clock far behind). */
const MAX_ITERATIONS = 100_000;

const cronOwner = (o: KObject) => {
  const r = controllerRef(o);
  return r?.kind === 'CronJob' ? [r.uid] : [];
};

interface ActiveRef {
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  apiVersion: string;
  resourceVersion?: string;
}

/** The most recent schedule time ≤ now since `earliest`, and how many were missed. */
export function mostRecentSchedule(sched: Schedule, earliest: number, now: number): { time?: number; missed: number } {
  let t = sched.next(earliest);
  if (t > now) return { missed: 0 };
  let missed = 1;
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const n = sched.next(t);
    if (n > now) break;
    t = n;
    missed++;
  }
  return { time: t, missed };
}

/** RFC 3339 in the schedule's zone, as Go formats a time.Time in that location. */
function inZone(ms: number, tz: string | undefined): string {
  if (!tz || tz === 'UTC' || tz === 'Etc/UTC') return rfc3339(ms);
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const offset = Math.round((local - Math.floor(ms / 1000) * 1000) / 60_000);
  if (offset === 0) return rfc3339(ms);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return new Date(local).toISOString().replace(/\.\d{3}Z$/, `${sign}${hh}:${mm}`);
}

/**
 * The CronJob controller (upstream's cronjob_controllerv2): creates a Job per schedule time,
 * honouring concurrencyPolicy, startingDeadlineSeconds and suspend; after downtime it runs
 * only the most recent missed time (and warns when more than 100 were missed); keeps
 * `status.active`, `lastScheduleTime`, `lastSuccessfulTime` and the history limits.
 * Under a time scale the schedule is read in a calendar that runs 1/scale times as fast from the
 * CronJob's creation (`CronCalendar`); at scale 1 it is the wall clock.
 */
export class CronJobController extends Controller {
  readonly name = 'cronjob-controller';
  private cronjobs = new Cache({ uid: (o) => [o.metadata.uid!] });
  private jobs = new Cache({ owner: cronOwner });

  protected init(): void {
    this.watch(CRONJOBS, (ev) => {
      this.cronjobs.apply(ev);
      if (ev.type !== 'DELETED') this.queue.add(objKey(ev.object));
    });
    this.watch(JOBS, (ev) => {
      this.jobs.apply(ev);
      for (const uid of [...cronOwner(ev.object), ...(ev.prev ? cronOwner(ev.prev) : [])]) {
        const cj = this.cronjobs.by('uid', uid)[0];
        if (cj) this.queue.add(objKey(cj));
      }
    });
  }

  private event(cj: KObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.ctx.recorder.record(cj, type, reason, message, SOURCE);
  }

  protected sync(key: string): void {
    const [ns, name] = splitKey(key);
    const stored = this.store.get(CRONJOBS, ns, name);
    if (!stored) return;
    const cj = structuredClone(stored);
    cj.status ??= {};
    const jobs = this.jobs.by('owner', cj.metadata.uid!);
    this.syncActive(cj, jobs);
    if (!cj.metadata.deletionTimestamp) this.schedule(cj, key);
    this.saveStatus(stored, cj);
    this.cleanupHistory(cj, this.jobs.by('owner', cj.metadata.uid!));
  }

  /** Reconcile status.active with the jobs that exist; note finished and unexpected jobs. */
  private syncActive(cj: KObject, jobs: KObject[]): void {
    const active: ActiveRef[] = [...(cj.status.active ?? [])];
    const isActive = (uid: string) => active.some((r) => r.uid === uid);
    const byUid = new Set<string>();
    for (const j of jobs) {
      const uid = j.metadata.uid!;
      byUid.add(uid);
      const found = isActive(uid);
      if (!found && !isFinished(j)) {
        if (j.metadata.annotations?.[SCHEDULED_TIMESTAMP] === undefined)
          this.event(
            cj,
            'Warning',
            'UnexpectedJob',
            `Saw a job that the controller did not create or forgot: ${j.metadata.name}`,
          );
      } else if (found && isFinished(j)) {
        const type = isTrue(j, 'Complete') ? 'Complete' : 'Failed';
        active.splice(
          active.findIndex((r) => r.uid === uid),
          1,
        );
        this.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${type}`);
      }
      if (isTrue(j, 'Complete') && j.status?.completionTime) {
        const last = cj.status.lastSuccessfulTime;
        if (!last || Date.parse(j.status.completionTime) > Date.parse(last))
          cj.status.lastSuccessfulTime = j.status.completionTime;
      }
    }
    for (const ref of [...active]) {
      if (byUid.has(ref.uid)) continue;
      active.splice(active.indexOf(ref), 1);
      this.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
    }
    cj.status.active = active.length ? active : undefined;
  }

  private schedule(cj: KObject, key: string): void {
    if (cj.spec?.suspend) return;
    const tz: string | undefined = cj.spec?.timeZone ?? undefined;
    let sched: Schedule;
    try {
      sched = parseSchedule(String(cj.spec?.schedule ?? ''), tz);
    } catch (e) {
      this.event(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${cj.spec?.schedule} : ${(e as Error).message}`);
      return;
    }
    const created = Date.parse(cj.metadata.creationTimestamp ?? '') || this.clock.now();
    const cal = new CronCalendar(created, this.scale);
    const now = cal.fromWall(this.clock.now());
    const deadline: number | undefined = cj.spec?.startingDeadlineSeconds ?? undefined;
    const last = Date.parse(cj.status.lastScheduleTime ?? '');
    let earliest = Number.isNaN(last) ? created : cal.storedRun(last);
    if (deadline != null) earliest = Math.max(earliest, now - deadline * 1000);
    const { time, missed } = mostRecentSchedule(sched, earliest, now);
    // Queue delays are engine time, which the clock scales: schedule time is engine time.
    const requeue = () => this.queue.addAfter(key, Math.max(1, sched.next(now) - now));
    if (time === undefined) return requeue();
    if (missed > TOO_MANY_MISSED) {
      this.event(
        cj,
        'Warning',
        'TooManyMissedTimes',
        `too many missed start times: ${missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`,
      );
    }
    if (deadline != null && time + deadline * 1000 < now) {
      this.event(
        cj,
        'Warning',
        'MissSchedule',
        `Missed scheduled time to start a job: ${new Date(cal.toWall(time)).toUTCString()}`,
      );
      return requeue();
    }
    const jobName = `${cj.metadata.name}-${Math.floor(time / 60_000)}`;
    const active: ActiveRef[] = cj.status.active ?? [];
    if (active.some((r) => r.name === jobName) || (!Number.isNaN(last) && cal.storedRun(last) >= time))
      return requeue();
    const policy = cj.spec?.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && active.length > 0) {
      this.event(
        cj,
        'Normal',
        'JobAlreadyActive',
        'Not starting job because prior execution is running and concurrency policy is Forbid',
      );
      return requeue();
    }
    if (policy === 'Replace') {
      for (const ref of active) {
        try {
          this.store.delete(JOBS, ref.namespace, ref.name, { propagationPolicy: 'Background' });
          this.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${ref.name}`);
        } catch {
          // gone already
        }
      }
      cj.status.active = undefined;
    }
    let job: KObject;
    try {
      job = this.store.create(JOBS, this.jobFromTemplate(cj, jobName, inZone(cal.toWall(time), tz)));
      this.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${jobName}`);
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 409)) {
        this.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${(e as Error).message}`);
        throw e;
      }
      // Created before a crash: take it as this time's job when it is ours.
      const existing = this.store.get(JOBS, cj.metadata.namespace, jobName);
      if (!existing || controllerRef(existing)?.uid !== cj.metadata.uid) return requeue();
      job = existing;
    }
    const ref: ActiveRef = {
      kind: 'Job',
      namespace: job.metadata.namespace!,
      name: job.metadata.name!,
      uid: job.metadata.uid!,
      apiVersion: 'batch/v1',
      resourceVersion: job.metadata.resourceVersion,
    };
    if (!isFinished(job))
      cj.status.active = [...(cj.status.active ?? []).filter((r: ActiveRef) => r.uid !== ref.uid), ref];
    cj.status.lastScheduleTime = rfc3339(cal.toWall(time));
    requeue();
  }

  private jobFromTemplate(cj: KObject, name: string, scheduled: string): KObject {
    const t = structuredClone(cj.spec.jobTemplate ?? {});
    const meta = t.metadata ?? {};
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace: cj.metadata.namespace,
        labels: { ...(meta.labels ?? {}) },
        annotations: { ...(meta.annotations ?? {}), [SCHEDULED_TIMESTAMP]: scheduled },
        ownerReferences: [newControllerRef(cj)],
      },
      spec: t.spec ?? {},
    };
  }

  private saveStatus(stored: KObject, cj: KObject): void {
    const status: CronJobStatus = withoutUndefined(cj.status);
    cj.status = status;
    if (jsonEqual(status, stored.status ?? {})) return;
    try {
      this.store.mutate(
        CRONJOBS,
        stored.metadata.namespace,
        stored.metadata.name!,
        (o) => {
          if (o.metadata.uid !== stored.metadata.uid) return false;
          o.status = status;
        },
        { subresource: 'status' },
      );
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 404)) throw e;
    }
  }

  /** Keep successfulJobsHistoryLimit complete and failedJobsHistoryLimit failed jobs. */
  private cleanupHistory(cj: KObject, jobs: KObject[]): void {
    const byStart = (a: KObject, b: KObject) =>
      (Date.parse(a.status?.startTime ?? '') || 0) - (Date.parse(b.status?.startTime ?? '') || 0);
    const trim = (list: KObject[], limit: number | undefined) => {
      if (limit == null || list.length <= limit) return;
      for (const j of list.sort(byStart).slice(0, list.length - limit)) {
        if (j.metadata.deletionTimestamp) continue;
        try {
          this.store.delete(JOBS, j.metadata.namespace, j.metadata.name!, { propagationPolicy: 'Background' });
          this.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata.name}`);
        } catch {
          // gone already
        }
      }
    };
    const live = jobs.filter((j) => !j.metadata.deletionTimestamp);
    trim(
      live.filter((j) => isTrue(j, 'Complete')),
      cj.spec?.successfulJobsHistoryLimit,
    );
    trim(
      live.filter((j) => isTrue(j, 'Failed') && conditionOf(j, 'Failed')),
      cj.spec?.failedJobsHistoryLimit,
    );
  }
}
