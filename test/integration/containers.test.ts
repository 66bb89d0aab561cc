import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KObject } from '../../source/api-types/index.ts';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

// Init containers, sidecars, lifecycle hooks and termination messages with the real kubectl.
let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => t?.stop());

const pod = (name: string): KObject | undefined => t.engine.ctx.store.get('pods', 'default', name);
const apply = (yaml: string) => t.kubectl(['apply', '-f', '-'], { input: yaml });
const row = async (name: string) => (await t.kubectl(['get', 'pod', name])).stdout;

describe('containers', () => {
  it('init containers run in order; a sidecar keeps running; postStart runs before the app counts as started', async () => {
    const out = join(t.home, 'hostpath', 'hooks');
    mkdirSync(out, { recursive: true });
    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: life}
spec:
  terminationGracePeriodSeconds: 60
  initContainers:
  - {name: first, image: busybox, command: [sh, -c, "echo first >> /work/order"], volumeMounts: [{name: w, mountPath: /work}]}
  - {name: second, image: busybox, command: [sh, -c, "echo second >> /work/order"], volumeMounts: [{name: w, mountPath: /work}]}
  - name: sidecar
    image: busybox
    restartPolicy: Always
    command: [sh, -c, "echo sidecar >> /work/order; sleep 3600"]
    volumeMounts: [{name: w, mountPath: /work}]
    # What Kubernetes promises is that the app starts once the sidecar has started (its startup
    # probe passed), not once its shell has run a line: without the probe the order is a race.
    startupProbe: {exec: {command: [grep, -q, sidecar, /work/order]}, periodSeconds: 1}
  containers:
  - name: app
    image: busybox
    workingDir: /work
    command: [sh, -c, "echo app >> order; sleep 3600"]
    volumeMounts: [{name: w, mountPath: /work}, {name: out, mountPath: /out}]
    lifecycle:
      postStart: {exec: {command: [sh, -c, "echo post-start > /work/hook"]}}
      preStop: {exec: {command: [sh, -c, "echo pre-stop > /out/stopped"]}}
  volumes: [{name: w, emptyDir: {}}, {name: out, hostPath: {path: ${out}}}]
`);
    await waitFor(async () => /life\s+2\/2\s+Running/.test(await row('life')), 30_000, 'life Running 2/2');
    expect((await t.kubectl(['exec', 'life', '-c', 'app', '--', 'cat', '/work/order'])).stdout).toBe(
      'first\nsecond\nsidecar\napp',
    );
    // Running means the postStart hook has returned.
    expect((await t.kubectl(['exec', 'life', '-c', 'app', '--', 'cat', 'hook'])).stdout).toBe('post-start');
  }, 120_000);

  it('preStop runs on deletion, before SIGTERM', async () => {
    await t.kubectl(['delete', 'pod', 'life']);
    expect(readFileSync(join(t.home, 'hostpath', 'hooks', 'stopped'), 'utf8')).toBe('pre-stop\n');
  });

  it('a failing init container shows Init:Error then Init:CrashLoopBackOff and keeps the app from starting', async () => {
    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: initfail}
spec:
  initContainers: [{name: check, image: busybox, command: [sh, -c, "exit 1"]}]
  containers: [{name: app, image: busybox, command: [sleep, "3600"]}]
`);
    await waitFor(
      async () => /initfail\s+0\/1\s+Init:CrashLoopBackOff/.test(await row('initfail')),
      30_000,
      'Init:CrashLoopBackOff',
    );
    expect(pod('initfail')!.status.containerStatuses[0].state.waiting.reason).toBe('PodInitializing');
  });

  it('the termination message comes from terminationMessagePath, or from the log with FallbackToLogsOnError', async () => {
    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: msg}
spec:
  restartPolicy: Never
  containers:
  - {name: file, image: busybox, command: [sh, -c, "echo 'bye from file' > /dev/termination-log; exit 3"]}
  - {name: logs, image: busybox, terminationMessagePolicy: FallbackToLogsOnError, command: [sh, -c, "echo line1; echo oops; exit 4"]}
`);
    const messages = await waitFor(
      () => {
        const cs: { name: string; state: { terminated?: { message?: string } } }[] =
          pod('msg')?.status?.containerStatuses ?? [];
        const m = Object.fromEntries(cs.map((c) => [c.name, c.state.terminated?.message]));
        return m.file && m.logs ? m : undefined;
      },
      30_000,
      'messages',
    );
    expect(messages).toEqual({ file: 'bye from file\n', logs: 'line1\noops' });
    const described = (await t.kubectl(['describe', 'pod', 'msg'])).stdout;
    expect(described).toMatch(/Message:\s+bye from file/);
  });
});
