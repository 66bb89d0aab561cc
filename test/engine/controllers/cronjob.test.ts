import { afterEach, describe, expect, it } from 'vitest';
import type { KObject } from '../../../source/api-types/index.ts';
import { FakeClock, rfc3339 } from '../../../source/engine/clock.ts';
import { CronJobController, mostRecentSchedule } from '../../../source/engine/controllers/cronjob.ts';
import { JobController } from '../../../source/engine/controllers/job.ts';
import { parseSchedule } from '../../../source/engine/resources/cron-schedule.ts';
import { Scheduler } from '../../../source/engine/scheduler/scheduler.ts';
import { type Cluster, events, startCluster } from './harness.ts';

let cluster: Cluster | undefined;
afterEach(() => cluster?.stop());

const CJ = 'cronjobs.batch';
const JOBS = 'jobs.batch';
const MIN = 60_000;

function cronjob(name: string, schedule: string, spec: Record<string, unknown> = {}): KObject {
  return {
    metadata: { name, namespace: 'default' },
    spec: {
      schedule,
      jobTemplate: {
        metadata: { labels: { app: name } },
        spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
      },
      ...spec,
    },
  };
}

/** A fake clock with RealClock's time scale: timers wait `ms * scale`, timestamps are wall time. */
class ScaledFakeClock extends FakeClock {
  constructor(readonly scale: number) {
    super();
  }
  override setTimeout(fn: () => void, ms: number): unknown {
    return super.setTimeout(fn, ms * this.scale);
  }
}

const start = () => startCluster(() => [new Scheduler(), new JobController(), new CronJobController()]);
const jobsOf = (c: Cluster) => c.store.list(JOBS).items.filter((j) => !j.metadata.deletionTimestamp);
const get = (c: Cluster, name: string) => c.store.get(CJ, 'default', name)!;
const reasons = (c: Cluster, name: string) => events(c.store, name).map((e) => e.reason);

/** Every pod of every job succeeds (what the kubelet reports when the command exits 0). */
function succeedAll(c: Cluster): void {
  const t = rfc3339(c.clock.now());
  for (const p of c.store.list('pods').items) {
    if (p.status?.phase !== 'Running') continue;
    c.store.mutate(
      'pods',
      'default',
      p.metadata.name!,
      (o) => {
        o.status.phase = 'Succeeded';
        o.status.containerStatuses = [
          {
            name: 'c',
            image: 'busybox',
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: t, finishedAt: t } },
          },
        ];
      },
      { subresource: 'status' },
    );
  }
}

describe('CronJob controller', () => {
  it('creates a job at each schedule time with the scheduled-timestamp annotation', async () => {
    cluster = await start();
    const c = cluster;
    c.store.create(CJ, cronjob('tick', '*/5 * * * *'));
    await c.settle();
    expect(jobsOf(c)).toHaveLength(0);
    await c.advance(4 * MIN, MIN);
    expect(jobsOf(c)).toHaveLength(0);
    await c.advance(1 * MIN, MIN);
    const [job] = jobsOf(c);
    const at = Date.parse('2026-01-01T00:05:00Z');
    expect(job!.metadata.name).toBe(`tick-${at / MIN}`);
    expect(job!.metadata.annotations).toEqual({
      'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-01-01T00:05:00Z',
    });
    expect(job!.metadata.labels).toMatchObject({ app: 'tick' });
    expect(job!.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name: 'tick', controller: true });
    const cj = get(c, 'tick');
    expect(cj.status.lastScheduleTime).toBe('2026-01-01T00:05:00Z');
    expect(cj.status.active).toEqual([
      expect.objectContaining({ kind: 'Job', name: job!.metadata.name, uid: job!.metadata.uid }),
    ]);
    succeedAll(c);
    await c.settle();
    const done = get(c, 'tick');
    expect(done.status.active).toBeUndefined();
    expect(done.status.lastSuccessfulTime).toBeDefined();
    expect(reasons(c, 'tick')).toEqual(['SuccessfulCreate', 'SawCompletedJob']);
    await c.advance(5 * MIN, MIN);
    expect(jobsOf(c)).toHaveLength(2);
  });

  it('Forbid skips a run while one is active; Replace deletes it first', async () => {
    cluster = await start();
    const c = cluster;
    c.store.create(CJ, cronjob('forbid', '* * * * *', { concurrencyPolicy: 'Forbid' }));
    c.store.create(CJ, cronjob('replace', '* * * * *', { concurrencyPolicy: 'Replace' }));
    await c.advance(2 * MIN, MIN);
    const names = (prefix: string) =>
      jobsOf(c)
        .filter((j) => j.metadata.name!.startsWith(prefix))
        .map((j) => j.metadata.name);
    expect(names('forbid')).toHaveLength(1);
    expect(reasons(c, 'forbid')).toContain('JobAlreadyActive');
    expect(names('replace')).toEqual([`replace-${Date.parse('2026-01-01T00:02:00Z') / MIN}`]);
    expect(reasons(c, 'replace')).toEqual(['SuccessfulCreate', 'SuccessfulDelete', 'SuccessfulCreate']);
  });

  it('after downtime runs only the latest missed time and warns past 100 missed', async () => {
    cluster = await start();
    const c = cluster;
    c.store.create(CJ, cronjob('late', '* * * * *'));
    await c.settle();
    const ctl = c.components.find((x) => x instanceof CronJobController)!;
    ctl.stop();
    await c.advance(150 * MIN, 50 * MIN);
    expect(jobsOf(c)).toHaveLength(0);
    const again = new CronJobController();
    c.components.push(again);
    await again.start(c.ctx);
    await c.settle();
    const jobs = jobsOf(c);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe(
      '2026-01-01T02:30:00Z',
    );
    const warn = events(c.store, 'late').find((e) => e.reason === 'TooManyMissedTimes');
    expect(warn?.message).toBe(
      'too many missed start times: 150. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
    );
  });

  it('startingDeadlineSeconds: a time missed by more than the deadline is skipped', async () => {
    cluster = await start();
    const c = cluster;
    c.store.create(CJ, cronjob('strict', '0 * * * *', { startingDeadlineSeconds: 30 }));
    await c.settle();
    const ctl = c.components.find((x) => x instanceof CronJobController)!;
    ctl.stop();
    await c.advance(61 * MIN, 61 * MIN);
    const again = new CronJobController();
    c.components.push(again);
    await again.start(c.ctx);
    await c.settle();
    expect(jobsOf(c)).toHaveLength(0);
  });

  it('suspend stops new runs; timeZone moves the schedule; history limits trim old jobs', async () => {
    cluster = await start();
    const c = cluster;
    c.store.create(CJ, cronjob('paused', '* * * * *', { suspend: true }));
    c.store.create(CJ, cronjob('shanghai', '0 9 * * *', { timeZone: 'Asia/Shanghai' }));
    c.store.create(CJ, cronjob('keep', '* * * * *', { successfulJobsHistoryLimit: 2 }));
    for (let i = 0; i < 5; i++) {
      await c.advance(MIN, MIN);
      succeedAll(c);
      await c.settle();
    }
    expect(jobsOf(c).filter((j) => j.metadata.name!.startsWith('paused'))).toHaveLength(0);
    expect(jobsOf(c).filter((j) => j.metadata.name!.startsWith('keep'))).toHaveLength(2);
    expect(reasons(c, 'keep').filter((r) => r === 'SuccessfulDelete')).toHaveLength(3);
    await c.advance(55 * MIN, 5 * MIN);
    const sh = jobsOf(c).filter((j) => j.metadata.name!.startsWith('shanghai'));
    expect(sh).toHaveLength(1);
    expect(sh[0]!.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe(
      '2026-01-01T09:00:00+08:00',
    );
  });

  it('under a time scale a */1 CronJob fires every 60 s of scaled time; stored times stay wall times', async () => {
    const clock = new ScaledFakeClock(0.1);
    cluster = await startCluster(() => [new Scheduler(), new JobController(), new CronJobController()], { clock });
    const c = cluster;
    const t0 = clock.now();
    c.store.create(CJ, cronjob('fast', '*/1 * * * *'));
    await c.settle();
    await c.advance(5_000, 1_000);
    expect(jobsOf(c)).toHaveLength(0);
    await c.advance(1_000, 1_000);
    expect(jobsOf(c)).toHaveLength(1);
    succeedAll(c);
    await c.settle();
    await c.advance(6_000, 1_000);
    const stamps = jobsOf(c)
      .map((j) => j.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'])
      .sort();
    expect(stamps).toEqual([rfc3339(t0 + 6_000), rfc3339(t0 + 12_000)]);
    expect(get(c, 'fast').status.lastScheduleTime).toBe(rfc3339(t0 + 12_000));
    // Job names count minutes of the CronJob's scaled calendar, so they never repeat.
    expect(new Set(jobsOf(c).map((j) => j.metadata.name)).size).toBe(2);
    // An engine restart (a new controller) reads lastScheduleTime back without a second run.
    const ctl = c.components.find((x) => x instanceof CronJobController)!;
    ctl.stop();
    const again = new CronJobController();
    c.components.push(again);
    await again.start(c.ctx);
    await c.settle();
    expect(jobsOf(c)).toHaveLength(2);
    await c.advance(6_000, 1_000);
    expect(jobsOf(c)).toHaveLength(3);
  });

  it('mostRecentSchedule counts missed times', () => {
    const s = parseSchedule('*/10 * * * *');
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    expect(mostRecentSchedule(s, t0, t0 + 5 * MIN)).toEqual({ missed: 0 });
    expect(mostRecentSchedule(s, t0, t0 + 35 * MIN)).toEqual({ time: t0 + 30 * MIN, missed: 3 });
  });
});

describe('CronJob validation', () => {
  it('answers with robfig/cron and apiserver wording', async () => {
    cluster = await startCluster(() => []);
    const c = cluster;
    expect(() => c.store.create(CJ, cronjob('a', '61 * * * *'))).toThrow(
      'spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61',
    );
    expect(() => c.store.create(CJ, cronjob('a', 'CRON_TZ=UTC * * * * *'))).toThrow(
      'cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    );
    expect(() => c.store.create(CJ, cronjob('a', '@hourly', { timeZone: 'Mars/Olympus' }))).toThrow(
      'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus',
    );
    expect(() => c.store.create(CJ, cronjob('a', '@hourly', { concurrencyPolicy: 'Sometimes' }))).toThrow(
      'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
    );
    const ok = c.store.create(CJ, cronjob('ok', '@hourly'));
    expect(ok.spec).toMatchObject({
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
  });
});
