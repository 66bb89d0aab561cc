import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describe as describeText } from '../../source/describe/index.ts';
import { startEngine, type Engine } from '../../source/engine/engine.ts';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

let t: TestEngine;
let restarted: Engine | undefined;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => {
  await restarted?.stop();
  await t?.stop();
});

const k = async (...args: string[]) => (await t.kubectl(args)).stdout;

describe('Jobs with the real kubectl', () => {
  it('create job runs to Complete; logs job/NAME shows its output; get prints the columns', async () => {
    expect(await k('create', 'job', 'hello', '--image=busybox', '--', 'sh', '-c', 'echo hello from a job')).toBe(
      'job.batch/hello created',
    );
    await k('wait', '--for=condition=complete', 'job/hello', '--timeout=30s');
    expect(await k('logs', 'job/hello')).toBe('hello from a job');
    const table = await k('get', 'job', 'hello');
    expect(table.split('\n')[0]).toMatch(/^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE$/);
    expect(table.split('\n')[1]).toMatch(/^hello\s+Complete\s+1\/1\s+\d+s\s+\d+s$/);
    const pods = await k(
      'get',
      'pods',
      '-l',
      'job-name=hello',
      '-o',
      'jsonpath={.items[*].status.phase} {.items[*].metadata.finalizers}',
    );
    expect(pods.trim()).toBe('Succeeded');
    const describe = await k('describe', 'job', 'hello');
    expect(describe).toMatch(/Pods Statuses:\s+0 Active \(0 Ready\) \/ 1 Succeeded \/ 0 Failed/);
    expect(describe).toMatch(/Normal\s+Completed\s+\S+\s+job-controller\s+Job completed/);
    // The TUI's describe prints what kubectl prints (up to the events, whose ages move).
    const obj = JSON.parse(await k('get', 'job', 'hello', '-o', 'json'));
    const ours = describeText(obj, { now: Date.now(), events: [] });
    expect(ours.split('Events:')[0]).toBe(describe.split('Events:')[0]);
  });

  it('the engine tells clients its time scale (GET /skiff/v1/clock), for countdowns of scaled delays', async () => {
    expect(JSON.parse(await k('get', '--raw', '/skiff/v1/clock'))).toEqual({ timeScale: 0.05 });
  });

  it('a failing job ends Failed/BackoffLimitExceeded after backoffLimit+1 pods', async () => {
    const manifest = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'broken' },
      spec: {
        backoffLimit: 1,
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo nope; exit 3'] }],
          },
        },
      },
    };
    await t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(manifest) });
    await k('wait', '--for=condition=failed', 'job/broken', '--timeout=30s');
    const reason = await k(
      'get',
      'job',
      'broken',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Failed")].reason} {.status.failed}',
    );
    expect(reason).toBe('BackoffLimitExceeded 2');
    expect((await k('get', 'pods', '-l', 'job-name=broken', '-o', 'name')).split('\n')).toHaveLength(2);
    expect(await k('get', 'job', 'broken', '--no-headers')).toMatch(/^broken\s+Failed\s+0\/1/);
  });

  it('Indexed jobs give each pod its JOB_COMPLETION_INDEX', async () => {
    const manifest = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'indexed' },
      spec: {
        completions: 3,
        parallelism: 3,
        completionMode: 'Indexed',
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo index=$JOB_COMPLETION_INDEX'] }],
          },
        },
      },
    };
    await t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(manifest) });
    await k('wait', '--for=condition=complete', 'job/indexed', '--timeout=30s');
    expect(await k('get', 'job', 'indexed', '-o', 'jsonpath={.status.completedIndexes}')).toBe('0-2');
    const logs = await k('logs', '-l', 'job-name=indexed', '--prefix=false');
    expect(logs.split('\n').sort()).toEqual(['index=0', 'index=1', 'index=2']);
  });

  it('validation errors come back as the apiserver words them', async () => {
    const bad = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'always' },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    };
    const r = await t.kubectl(['create', '-f', '-'], { input: JSON.stringify(bad), reject: false });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(
      'The Job "always" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    );
  });

  it('deleting a job removes its pods (tracking finalizers released)', async () => {
    await k('delete', 'job', 'hello', '--wait=true');
    await k('wait', '--for=delete', 'pod', '-l', 'job-name=hello', '--timeout=20s');
    expect(await k('get', 'pods', '-l', 'job-name=hello', '-o', 'name')).toBe('');
  });

  it('create cronjob: */1 fires every 60 s of scaled time; create job --from=cronjob', async () => {
    expect(
      await k('create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/1 * * * *', '--', 'sh', '-c', 'echo tick'),
    ).toBe('cronjob.batch/tick created');
    const table = await k('get', 'cronjob', 'tick');
    expect(table.split('\n')[0]).toMatch(/^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE$/);
    expect(table.split('\n')[1]).toMatch(/^tick\s+\*\/1 \* \* \* \*\s+<none>\s+False\s+\d\s+\S+\s+\d+s$/);
    // The test engine runs at time scale 0.05: a minute of the schedule is 3 s of wall time.
    const runs = async () =>
      (
        await k(
          'get',
          'jobs',
          '-o',
          'jsonpath={range .items[*]}{.metadata.ownerReferences[0].name} {.metadata.annotations.batch\\.kubernetes\\.io/cronjob-scheduled-timestamp} {.metadata.name}{"\\n"}{end}',
        )
      )
        .split('\n')
        .filter((l) => /^tick \S/.test(l))
        .map((l) => l.split(' '))
        .sort((x, y) => x[1]!.localeCompare(y[1]!));
    await waitFor(async () => (await runs()).length >= 2, 30_000, 'two scheduled runs of tick');
    const [first, second] = await runs();
    const gap = Date.parse(second![1]!) - Date.parse(first![1]!);
    expect(gap).toBeGreaterThanOrEqual(2_000);
    expect(gap).toBeLessThanOrEqual(4_000);
    await k('wait', '--for=condition=complete', `job/${first![2]}`, '--timeout=30s');
    expect(await k('logs', `job/${first![2]}`)).toBe('tick');
    expect(await k('get', 'cronjob', 'tick', '-o', 'jsonpath={.status.lastScheduleTime}')).not.toBe('');
    await k('patch', 'cronjob', 'tick', '-p', '{"spec":{"suspend":true}}');
    expect(await k('create', 'job', 'tick-now', '--from=cronjob/tick')).toBe('job.batch/tick-now created');
    await k('wait', '--for=condition=complete', 'job/tick-now', '--timeout=30s');
    expect(await k('logs', 'job/tick-now')).toBe('tick');
    expect(
      await k('get', 'job', 'tick-now', '-o', 'jsonpath={.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate}'),
    ).toBe('manual');
    const bad = await t.kubectl(['create', 'cronjob', 'bad', '--image=busybox', '--schedule=61 * * * *'], {
      reject: false,
    });
    expect(bad.stderr).toContain(
      'spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61',
    );
  });

  it('a missed schedule is caught up once', async () => {
    await k('create', 'cronjob', 'hourly', '--image=busybox', '--schedule=0 * * * *', '--', 'sh', '-c', 'echo hourly');
    const created = Date.parse(await k('get', 'cronjob', 'hourly', '-o', 'jsonpath={.metadata.creationTimestamp}'));
    // As if the engine had been down for 5 hours of scaled time (15 minutes of wall time at 0.05):
    // one run for the latest missed hour, not five.
    const past = new Date(created - 15 * 60_000).toISOString().replace('.000Z', 'Z');
    await k(
      'patch',
      'cronjob',
      'hourly',
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({ status: { lastScheduleTime: past } }),
    );
    await waitFor(
      async () => (await k('get', 'cronjob', 'hourly', '-o', 'jsonpath={.status.lastScheduleTime}')) > past,
      20_000,
      'the catch-up run',
    );
    const scheduled = (
      await k('get', 'jobs', '-o', 'jsonpath={range .items[*]}{.metadata.ownerReferences[0].name}{"\\n"}{end}')
    )
      .split('\n')
      .filter((l) => l === 'hourly');
    // Two if a new scaled hour (3 s) began meanwhile.
    expect(scheduled.length).toBeGreaterThanOrEqual(1);
    expect(scheduled.length).toBeLessThanOrEqual(2);
    expect(
      await k('get', 'events', '--field-selector=involvedObject.name=hourly', '-o', 'jsonpath={.items[*].reason}'),
    ).not.toContain('TooManyMissedTimes');
    await k('delete', 'cronjob', 'hourly');
  });

  it('a completed Never pod stays Succeeded across an engine restart', async () => {
    const pod = (await k('get', 'pods', '-l', 'job-name=indexed', '-o', 'jsonpath={.items[0].metadata.name}')).trim();
    const home = t.home;
    await t.engine.stop();
    restarted = await startEngine({ home, port: 0, timeScale: 0.05, log: () => {} });
    // kubectl reads the new port from the rewritten kubeconfig.
    const phase = await k('get', 'pod', pod, '-o', 'jsonpath={.status.phase}');
    expect(phase).toBe('Succeeded');
    expect(await k('get', 'job', 'indexed', '-o', 'jsonpath={.status.succeeded}')).toBe('3');
  });
});
