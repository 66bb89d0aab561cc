import { afterEach, describe, expect, it } from 'vitest';
import type { KObject } from '../../../source/api-types/index.ts';
import { rfc3339 } from '../../../source/engine/clock.ts';
import { JobController } from '../../../source/engine/controllers/job.ts';
import {
  TRACKING_FINALIZER,
  backoffDelay,
  formatIndexes,
  parseIndexes,
} from '../../../source/engine/controllers/job-util.ts';
import { Scheduler } from '../../../source/engine/scheduler/scheduler.ts';
import { type Cluster, events, startCluster } from './harness.ts';

let cluster: Cluster | undefined;
afterEach(() => cluster?.stop());

const JOBS = 'jobs.batch';

function job(name: string, spec: Record<string, unknown> = {}, restartPolicy = 'Never'): KObject {
  return {
    metadata: { name, namespace: 'default' },
    spec: { template: { spec: { restartPolicy, containers: [{ name: 'c', image: 'busybox' }] } }, ...spec },
  };
}

const start = () => startCluster(() => [new Scheduler(), new JobController()]);
const get = (c: Cluster, name: string) => c.store.get(JOBS, 'default', name)!;
const podsOf = (c: Cluster, name: string) => c.store.list('pods', { labelSelector: `job-name=${name}` }).items;
const running = (c: Cluster, name: string) =>
  podsOf(c, name).filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
const cond = (j: KObject, type: string) => j.status?.conditions?.find((x: { type: string }) => x.type === type);

/** What the kubelet writes when the container exits. */
function finish(c: Cluster, pod: KObject, exitCode = 0): void {
  const t = rfc3339(c.clock.now());
  c.store.mutate(
    'pods',
    'default',
    pod.metadata.name!,
    (p) => {
      p.status.phase = exitCode === 0 ? 'Succeeded' : 'Failed';
      p.status.containerStatuses = p.spec.containers.map((x: { name: string; image: string }) => ({
        name: x.name,
        image: x.image,
        ready: false,
        restartCount: 0,
        state: { terminated: { exitCode, reason: exitCode ? 'Error' : 'Completed', startedAt: t, finishedAt: t } },
      }));
    },
    { subresource: 'status' },
  );
}

describe('Job controller', () => {
  it('runs completions with parallelism, counts them once and completes', async () => {
    cluster = await start();
    const c = cluster;
    c.store.create(JOBS, job('work', { completions: 3, parallelism: 2 }));
    await c.settle();
    const first = running(c, 'work');
    expect(first).toHaveLength(2);
    for (const p of first) {
      expect(p.metadata.finalizers).toEqual([TRACKING_FINALIZER]);
      expect(p.metadata.labels?.['batch.kubernetes.io/controller-uid']).toBe(get(c, 'work').metadata.uid);
    }
    expect(get(c, 'work').status).toMatchObject({ active: 2, ready: 2, terminating: 0, uncountedTerminatedPods: {} });
    expect(get(c, 'work').status.startTime).toBeDefined();
    for (const p of first) finish(c, p);
    await c.settle();
    expect(get(c, 'work').status.succeeded).toBe(2);
    expect(running(c, 'work')).toHaveLength(1);
    finish(c, running(c, 'work')[0]!);
    await c.settle();
    const done = get(c, 'work');
    expect(done.status.succeeded).toBe(3);
    expect(done.status.active).toBeUndefined();
    expect(cond(done, 'SuccessCriteriaMet')).toMatchObject({ status: 'True', reason: 'CompletionsReached' });
    expect(cond(done, 'Complete')).toMatchObject({
      status: 'True',
      reason: 'CompletionsReached',
      message: 'Reached expected number of succeeded pods',
    });
    expect(done.status.completionTime).toBeDefined();
    for (const p of podsOf(c, 'work')) expect(p.metadata.finalizers).toBeUndefined();
    expect(events(c.store, 'work').map((e) => e.reason)).toEqual([
      'SuccessfulCreate',
      'SuccessfulCreate',
      'SuccessfulCreate',
      'Completed',
    ]);
  });

  it('replaces failed pods after a growing back-off and fails with BackoffLimitExceeded', async () => {
    cluster = await start();
    const c = cluster;
    c.store.create(JOBS, job('flaky', { backoffLimit: 3 }));
    await c.settle();
    const created: number[] = [c.clock.now()];
    for (let attempt = 0; attempt < 4; attempt++) {
      const pods = running(c, 'flaky');
      expect(pods).toHaveLength(1);
      finish(c, pods[0]!, 1);
      await c.settle();
      if (attempt === 3) break;
      // Nothing new before the back-off has passed.
      const wait = backoffDelay(attempt + 1);
      await c.advance(wait - 1000, 500);
      expect(running(c, 'flaky')).toHaveLength(0);
      await c.advance(1000, 500);
      expect(running(c, 'flaky')).toHaveLength(1);
      created.push(c.clock.now());
    }
    const gaps = created.slice(1).map((t, i) => t - created[i]!);
    expect(gaps).toEqual([10_000, 20_000, 40_000]);
    const j = get(c, 'flaky');
    expect(j.status.failed).toBe(4);
    expect(cond(j, 'FailureTarget')).toMatchObject({ reason: 'BackoffLimitExceeded' });
    expect(cond(j, 'Failed')).toMatchObject({
      status: 'True',
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    });
    expect(j.status.completionTime).toBeUndefined();
    expect(events(c.store, 'flaky').some((e) => e.type === 'Warning' && e.reason === 'BackoffLimitExceeded')).toBe(
      true,
    );
  });

  it('back-off doubles up to ten minutes', () => {
    expect([1, 2, 3, 6, 7, 20].map(backoffDelay)).toEqual([10_000, 20_000, 40_000, 320_000, 600_000, 600_000]);
  });

  it('never counts a pod twice whatever step a killed engine stopped at', async () => {
    cluster = await startCluster(() => [new Scheduler()]);
    const c = cluster;
    const j = c.store.create(JOBS, job('safe', { completions: 2, parallelism: 2 }));
    const mk = (name: string) =>
      c.store.create('pods', {
        metadata: {
          name,
          namespace: 'default',
          labels: j.spec.template.metadata.labels,
          finalizers: [TRACKING_FINALIZER],
          ownerReferences: [
            { apiVersion: 'batch/v1', kind: 'Job', name: 'safe', uid: j.metadata.uid!, controller: true },
          ],
        },
        spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] },
      });
    const a = mk('safe-a');
    const b = mk('safe-b');
    await c.settle();
    finish(c, c.store.get('pods', 'default', 'safe-a')!);
    finish(c, c.store.get('pods', 'default', 'safe-b')!);
    // The engine died after writing uncounted (a) and after removing a's finalizer too, but
    // before moving it into the counters; b was not recorded at all.
    c.store.mutate(
      JOBS,
      'default',
      'safe',
      (o) => {
        o.status = { startTime: rfc3339(c.clock.now()), uncountedTerminatedPods: { succeeded: [a.metadata.uid] } };
      },
      { subresource: 'status' },
    );
    c.store.mutate('pods', 'default', 'safe-a', (p) => {
      delete p.metadata.finalizers;
    });
    const ctl = new JobController();
    c.components.push(ctl);
    await ctl.start(c.ctx);
    await c.settle();
    const done = get(c, 'safe');
    expect(done.status.succeeded).toBe(2);
    expect(done.status.uncountedTerminatedPods).toEqual({});
    expect(cond(done, 'Complete')?.status).toBe('True');
    expect(c.store.get('pods', 'default', b.metadata.name!)!.metadata.finalizers).toBeUndefined();
    // A second controller (another restart) finds nothing more to count.
    ctl.stop();
    const again = new JobController();
    c.components.push(again);
    await again.start(c.ctx);
    await c.settle();
    expect(get(c, 'safe').status.succeeded).toBe(2);
  });

  it('Indexed: one pod per index with the index annotation, env and hostname; completedIndexes', async () => {
    cluster = await start();
    const c = cluster;
    c.store.create(JOBS, job('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    await c.settle();
    const pods = running(c, 'idx').sort((x, y) =>
      x.metadata.annotations!['batch.kubernetes.io/job-completion-index']!.localeCompare(
        y.metadata.annotations!['batch.kubernetes.io/job-completion-index']!,
      ),
    );
    expect(pods.map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'])).toEqual([
      '0',
      '1',
      '2',
    ]);
    expect(pods[1]!.metadata.name).toMatch(/^idx-1-[a-z0-9]{5}$/);
    expect(pods[1]!.spec.hostname).toBe('idx-1');
    expect(pods[1]!.spec.containers[0].env).toEqual([
      {
        name: 'JOB_COMPLETION_INDEX',
        valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } },
      },
    ]);
    finish(c, pods[1]!);
    finish(c, pods[0]!, 1);
    await c.settle();
    expect(get(c, 'idx').status).toMatchObject({ completedIndexes: '1', succeeded: 1, failed: 1 });
    await c.advance(10_000, 1000);
    const again = running(c, 'idx')
      .map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'])
      .sort();
    expect(again).toEqual(['0', '2']);
  });

  it('fails with DeadlineExceeded after activeDeadlineSeconds and removes its pods', async () => {
    cluster = await start();
    const c = cluster;
    c.store.create(JOBS, job('slow', { activeDeadlineSeconds: 30 }));
    await c.settle();
    expect(running(c, 'slow')).toHaveLength(1);
    await c.advance(29_000);
    expect(cond(get(c, 'slow'), 'Failed')).toBeUndefined();
    await c.advance(2_000);
    const j = get(c, 'slow');
    expect(cond(j, 'Failed')).toMatchObject({
      reason: 'DeadlineExceeded',
      message: 'Job was active longer than specified deadline',
    });
    expect(running(c, 'slow')).toHaveLength(0);
  });

  it('suspend deletes the pods without counting failures; resume starts again', async () => {
    cluster = await start();
    const c = cluster;
    c.store.create(JOBS, job('paused', { parallelism: 2, completions: 4 }));
    await c.settle();
    expect(running(c, 'paused')).toHaveLength(2);
    c.store.mutate(JOBS, 'default', 'paused', (o) => {
      o.spec.suspend = true;
    });
    await c.settle();
    let j = get(c, 'paused');
    expect(podsOf(c, 'paused')).toHaveLength(0);
    expect(cond(j, 'Suspended')).toMatchObject({ status: 'True', reason: 'JobSuspended' });
    expect(j.status.failed).toBeUndefined();
    c.store.mutate(JOBS, 'default', 'paused', (o) => {
      o.spec.suspend = false;
    });
    await c.settle();
    j = get(c, 'paused');
    expect(cond(j, 'Suspended')).toMatchObject({ status: 'False', reason: 'JobResumed' });
    expect(running(c, 'paused')).toHaveLength(2);
    expect(events(c.store, 'paused').map((e) => e.reason)).toContain('Resumed');
  });

  it('podFailurePolicy: FailJob on an exit code fails at once; Ignore does not count', async () => {
    cluster = await start();
    const c = cluster;
    const rules = [
      { action: 'Ignore', onExitCodes: { operator: 'In', values: [7] } },
      { action: 'FailJob', onExitCodes: { containerName: 'c', operator: 'In', values: [42] } },
    ];
    c.store.create(JOBS, job('pfp', { podFailurePolicy: { rules } }));
    await c.settle();
    finish(c, running(c, 'pfp')[0]!, 7);
    await c.settle();
    expect(get(c, 'pfp').status.failed).toBeUndefined();
    const next = running(c, 'pfp');
    expect(next).toHaveLength(1);
    finish(c, next[0]!, 42);
    await c.settle();
    const j = get(c, 'pfp');
    expect(cond(j, 'Failed')).toMatchObject({
      reason: 'PodFailurePolicy',
      message: `Container c for pod default/${next[0]!.metadata.name} failed with exit code 42 matching FailJob rule at index 1`,
    });
    expect(j.status.failed).toBe(1);
  });

  it('OnFailure: container restarts count against backoffLimit', async () => {
    cluster = await start();
    const c = cluster;
    c.store.create(JOBS, job('crashy', { backoffLimit: 2 }, 'OnFailure'));
    await c.settle();
    const pod = running(c, 'crashy')[0]!;
    c.store.mutate(
      'pods',
      'default',
      pod.metadata.name!,
      (p) => {
        p.status.containerStatuses[0].restartCount = 2;
      },
      { subresource: 'status' },
    );
    await c.settle();
    expect(cond(get(c, 'crashy'), 'Failed')).toMatchObject({ reason: 'BackoffLimitExceeded' });
  });

  it('ttlSecondsAfterFinished deletes the finished job', async () => {
    cluster = await start();
    const c = cluster;
    c.store.create(JOBS, job('short', { ttlSecondsAfterFinished: 60 }));
    await c.settle();
    finish(c, running(c, 'short')[0]!);
    await c.settle();
    expect(cond(get(c, 'short'), 'Complete')?.status).toBe('True');
    await c.advance(58_000, 2000);
    expect(c.store.get(JOBS, 'default', 'short')).toBeDefined();
    await c.advance(4_000, 2000);
    const left = c.store.get(JOBS, 'default', 'short');
    expect(left === undefined || !!left.metadata.deletionTimestamp).toBe(true);
  });

  it('index lists round-trip', () => {
    expect(formatIndexes([5, 1, 2, 3, 7, 2])).toBe('1-3,5,7');
    expect(parseIndexes('1-3,5,7')).toEqual([1, 2, 3, 5, 7]);
  });
});

describe('Job validation', () => {
  it('generates the selector and labels, copies them to the job, rejects Always and bad fields', async () => {
    cluster = await startCluster(() => []);
    const c = cluster;
    const j = c.store.create(JOBS, job('v'));
    const uid = j.metadata.uid;
    expect(j.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    expect(j.spec.template.metadata.labels).toEqual({
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': 'v',
      'controller-uid': uid,
      'job-name': 'v',
    });
    expect(j.metadata.labels).toEqual(j.spec.template.metadata.labels);
    expect(j.spec).toMatchObject({
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
    });
    expect(() => c.store.create(JOBS, job('bad', {}, 'Always'))).toThrow(
      /spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"/,
    );
    expect(() =>
      c.store.create(JOBS, job('bad', { completionMode: 'Indexed', completions: null, parallelism: 2 })),
    ).toThrow(/spec.completions: Required value: when completion mode is Indexed/);
    expect(() =>
      c.store.mutate(JOBS, 'default', 'v', (o) => {
        o.spec.completions = 5;
      }),
    ).toThrow(/spec.completions: Invalid value: 5: field is immutable/);
  });
});
