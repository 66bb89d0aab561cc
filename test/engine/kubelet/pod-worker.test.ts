import { afterEach, describe, expect, it } from 'vitest';
import { podSpec, reasons, startHarness, type Harness } from './harness.ts';

let h: Harness;
afterEach(() => h?.stop());

const cs = (h: Harness, name: string) => h.pod(name)!.status.containerStatuses[0];
const cond = (h: Harness, name: string, type: string) =>
  h.pod(name)!.status.conditions.find((c: any) => c.type === type);

describe('pod worker', () => {
  it('pulls, creates and starts a container, then reports the pod Running and Ready', async () => {
    h = await startHarness();
    h.store.create('pods', podSpec('web', { containers: [{ name: 'nginx', image: 'nginx:1.25' }] }));
    await h.settle();
    let st = h.pod('web')!.status;
    expect(st.phase).toBe('Pending');
    expect(st.podIP).toBe('127.244.1.2');
    expect(st.podIPs).toEqual([{ ip: '127.244.1.2' }]);
    expect(st.hostIP).toBe('127.0.1.2');
    expect(st.containerStatuses[0]).toMatchObject({
      name: 'nginx',
      ready: false,
      started: false,
      restartCount: 0,
      image: 'nginx:1.25',
      imageID: '',
      state: { waiting: { reason: 'ContainerCreating' } },
    });
    expect(cond(h, 'web', 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [nginx]',
    });
    expect(cond(h, 'web', 'PodReadyToStartContainers').status).toBe('True');
    await h.advance(1000);
    st = h.pod('web')!.status;
    expect(st.phase).toBe('Running');
    expect(st.qosClass).toBe('BestEffort');
    expect(st.startTime).toBeTruthy();
    expect(st.containerStatuses[0]).toMatchObject({
      ready: true,
      started: true,
      image: 'docker.io/library/nginx:1.25',
      imageID: expect.stringMatching(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/),
      containerID: expect.stringMatching(/^containerd:\/\/[0-9a-f]{64}$/),
      state: { running: { startedAt: expect.any(String) } },
    });
    for (const t of ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'])
      expect(cond(h, 'web', t).status).toBe('True');
    expect(st.conditions.map((c: any) => c.type)).toEqual([
      'PodReadyToStartContainers',
      'Initialized',
      'Ready',
      'ContainersReady',
      'PodScheduled',
    ]);
    expect(reasons(h, 'web').sort()).toEqual(['Created', 'Pulled', 'Pulling', 'Started']);
    const pulled = h.events('web').find((e) => e.reason === 'Pulled')!;
    expect(pulled.message).toBe(
      'Successfully pulled image "nginx:1.25" in 1s (1s including waiting). Image size: 72950530 bytes.',
    );
    expect(pulled.involvedObject?.fieldPath).toBe('spec.containers{nginx}');
    expect(pulled.source).toEqual({ component: 'kubelet', host: 'node1' });

    // The image is now on the node.
    h.store.create('pods', podSpec('web2', { containers: [{ name: 'nginx', image: 'nginx:1.25' }] }));
    await h.settle();
    expect(h.pod('web2')!.status.phase).toBe('Running');
    expect(h.pod('web2')!.status.podIP).toBe('127.244.1.3');
    expect(h.events('web2').find((e) => e.reason === 'Pulled')!.message).toBe(
      'Container image "nginx:1.25" already present on machine',
    );
  });

  it('restarts a crashing container at once, then after 10 s, 20 s, 40 s … in CrashLoopBackOff', async () => {
    h = await startHarness();
    h.rt.onStart = (c) => c.finish(1);
    h.store.create('pods', podSpec('crash'));
    await h.advance(1000);
    // First exit: restarted immediately; second exit: back-off 10 s.
    expect(h.rt.instances('c')).toHaveLength(2);
    let s = cs(h, 'crash');
    expect(s.restartCount).toBe(1);
    expect(s.state.waiting).toEqual({
      reason: 'CrashLoopBackOff',
      message: `back-off 10s restarting failed container=c pod=crash_default(${h.pod('crash')!.metadata.uid})`,
    });
    expect(s.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(h.pod('crash')!.status.phase).toBe('Running');
    await h.advance(9000);
    expect(h.rt.instances('c')).toHaveLength(2);
    await h.advance(1000);
    expect(h.rt.instances('c')).toHaveLength(3);
    expect(cs(h, 'crash').state.waiting.message).toMatch(/^back-off 20s /);
    await h.advance(19_500);
    expect(h.rt.instances('c')).toHaveLength(3);
    await h.advance(500);
    expect(h.rt.instances('c')).toHaveLength(4);
    expect(cs(h, 'crash').restartCount).toBe(3);
    expect(cs(h, 'crash').state.waiting.message).toMatch(/^back-off 40s /);
    // Capped at 5 minutes.
    await h.advance(40_000 + 80_000 + 160_000, 5000);
    expect(cs(h, 'crash').state.waiting.message).toMatch(/^back-off 5m0s /);
    expect(h.rt.instances('c').map((c) => c.attempt)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const backoff = h.events('crash').find((e) => e.reason === 'BackOff')!;
    expect(backoff.type).toBe('Warning');
    expect(backoff.message).toBe(
      `Back-off restarting failed container c in pod crash_default(${h.pod('crash')!.metadata.uid})`,
    );
    expect(backoff.count).toBeGreaterThan(3);
  });

  it('a container that ran 10 minutes before crashing starts over at no back-off', async () => {
    h = await startHarness();
    h.rt.onStart = (c) => c.finish(1);
    h.store.create('pods', podSpec('crash'));
    await h.advance(1000);
    await h.advance(10_000);
    expect(h.rt.instances('c')).toHaveLength(3);
    h.rt.onStart = () => {};
    await h.settle();
    await h.advance(21_000);
    const running = h.rt.instances('c').at(-1)!;
    expect(running.running).toBe(true);
    await h.advance(10 * 60_000, 30_000);
    running.finish(2);
    await h.settle();
    expect(h.rt.instances('c').at(-1)!.running).toBe(true);
    expect(cs(h, 'crash').lastState.terminated.exitCode).toBe(2);
  });

  it('ErrImagePull, then ImagePullBackOff, pulling again after 10 s, 20 s, 40 s', async () => {
    h = await startHarness();
    h.store.create('pods', podSpec('bad', { containers: [{ name: 'bad', image: 'nginx:abc' }] }));
    await h.settle();
    expect(cs(h, 'bad').state.waiting).toEqual({
      reason: 'ErrImagePull',
      message:
        'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:abc": failed to resolve reference "docker.io/library/nginx:abc": docker.io/library/nginx:abc: not found',
    });
    expect(h.pod('bad')!.status.phase).toBe('Pending');
    const pulls = () => h.events('bad').find((e) => e.reason === 'Pulling')?.count ?? 0;
    expect(pulls()).toBe(1);
    await h.advance(2000);
    expect(cs(h, 'bad').state.waiting).toEqual({
      reason: 'ImagePullBackOff',
      message: 'Back-off pulling image "nginx:abc"',
    });
    await h.advance(7500);
    expect(pulls()).toBe(1);
    await h.advance(500);
    expect(pulls()).toBe(2);
    expect(cs(h, 'bad').state.waiting.reason).toBe('ErrImagePull');
    await h.advance(19_500);
    expect(pulls()).toBe(2);
    await h.advance(500);
    expect(pulls()).toBe(3);
    await h.advance(39_500);
    expect(pulls()).toBe(3);
    await h.advance(500);
    expect(pulls()).toBe(4);
    const msgs = h.events('bad').map((e) => `${e.type} ${e.reason} ${e.message}`);
    expect(msgs).toEqual(
      expect.arrayContaining([
        'Normal Pulling Pulling image "nginx:abc"',
        expect.stringMatching(/^Warning Failed Failed to pull image "nginx:abc": rpc error: code = NotFound desc = /),
        'Warning Failed Error: ErrImagePull',
        'Normal BackOff Back-off pulling image "nginx:abc"',
        'Warning Failed Error: ImagePullBackOff',
      ]),
    );
  });

  it('InvalidImageName waits without pulling', async () => {
    h = await startHarness();
    h.store.create('pods', podSpec('inv', { containers: [{ name: 'c', image: 'Nginx:UPPER' }] }));
    await h.advance(30_000, 5000);
    expect(cs(h, 'inv').state.waiting.reason).toBe('InvalidImageName');
    expect(reasons(h, 'inv').sort()).toEqual(['Failed', 'InspectFailed']);
  });

  it('restartPolicy Never: a failed container fails the pod; OnFailure: success completes it', async () => {
    h = await startHarness();
    h.rt.onStart = (c) => c.finish(c.spec.podName === 'never' ? 3 : 0);
    h.store.create('pods', podSpec('never', { restartPolicy: 'Never' }));
    h.store.create('pods', podSpec('onfail', { restartPolicy: 'OnFailure' }));
    await h.advance(30_000, 1000);
    const never = h.pod('never')!.status;
    expect(never.phase).toBe('Failed');
    expect(never.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(never.conditions.find((c: any) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'PodCompleted',
    });
    expect(never.conditions.find((c: any) => c.type === 'PodReadyToStartContainers').status).toBe('False');
    const onfail = h.pod('onfail')!.status;
    expect(onfail.phase).toBe('Succeeded');
    expect(onfail.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(h.rt.started).toHaveLength(2);
    // A finished pod gave its address back.
    h.store.create('pods', podSpec('next'));
    await h.settle();
    expect(h.pod('next')!.status.podIP).toBe('127.244.1.2');
  });

  it('runs init containers in order before the app containers', async () => {
    h = await startHarness();
    h.rt.onStart = (c) => c.name.startsWith('init') && c.finish(0);
    h.store.create(
      'pods',
      podSpec('withinit', {
        initContainers: [
          { name: 'init-a', image: 'busybox:1.36' },
          { name: 'init-b', image: 'busybox:1.36' },
        ],
      }),
    );
    await h.settle();
    let st = h.pod('withinit')!.status;
    expect(st.conditions.find((c: any) => c.type === 'Initialized')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: 'containers with incomplete status: [init-a init-b]',
    });
    expect(st.containerStatuses[0].state.waiting.reason).toBe('PodInitializing');
    await h.advance(1000);
    expect(h.rt.started.map((c) => c.name)).toEqual(['init-a', 'init-b', 'c']);
    st = h.pod('withinit')!.status;
    expect(st.phase).toBe('Running');
    expect(st.initContainerStatuses.map((c: any) => c.state.terminated.reason)).toEqual(['Completed', 'Completed']);
    expect(st.conditions.find((c: any) => c.type === 'Initialized').status).toBe('True');
  });

  it('graceful deletion: SIGTERM, SIGKILL after the grace period, then the pod is removed', async () => {
    h = await startHarness();
    h.store.create('pods', podSpec('slow', { terminationGracePeriodSeconds: 5 }));
    await h.advance(1000);
    const c = h.rt.instances('c')[0]!;
    c.stubborn = true;
    h.store.delete('pods', 'default', 'slow');
    await h.settle();
    expect(c.signals).toEqual(['SIGTERM']);
    expect(h.pod('slow')?.metadata.deletionTimestamp).toBeTruthy();
    expect(h.events('slow').find((e) => e.reason === 'Killing')!.message).toBe('Stopping container c');
    await h.advance(4500);
    expect(h.pod('slow')).toBeDefined();
    await h.advance(500);
    expect(c.signals).toEqual(['SIGTERM', 'SIGKILL']);
    // Reported gone on the next relist, a second later.
    expect(h.pod('slow')).toBeDefined();
    await h.advance(1000);
    expect(h.pod('slow')).toBeUndefined();
    expect(h.rt.removed).toContain(c.podUid);
    expect(h.kubelet.ips.inUse).toBe(0);
  });

  it('a pod held by a finalizer stays after its containers stopped, until the finalizer goes', async () => {
    h = await startHarness();
    h.store.create('pods', {
      ...podSpec('held'),
      metadata: { name: 'held', namespace: 'default', finalizers: ['example.com/hold'] },
    });
    await h.advance(1000);
    h.store.delete('pods', 'default', 'held');
    await h.advance(2500);
    expect(h.rt.instances('c')[0]!.running).toBe(false);
    expect(h.pod('held')!.metadata.deletionTimestamp).toBeTruthy();
    h.store.mutate('pods', 'default', 'held', (p) => {
      p.metadata.finalizers = [];
    });
    expect(h.pod('held')).toBeUndefined();
  });

  it('force deletion kills at once; a pulling container never starts', async () => {
    h = await startHarness();
    h.store.create('pods', podSpec('gone', { containers: [{ name: 'c', image: 'alpine:3.20' }] }));
    await h.settle();
    h.store.delete('pods', 'default', 'gone', { gracePeriodSeconds: 0 });
    await h.advance(2000);
    expect(h.pod('gone')).toBeUndefined();
    expect(h.rt.started).toHaveLength(0);
    expect(h.kubelet.ips.inUse).toBe(0);
  });

  it('readiness and liveness probes: not Ready until the probe passes; a failing liveness probe restarts', async () => {
    h = await startHarness();
    const probe = (extra: any) => ({ exec: { command: ['check'] }, periodSeconds: 10, ...extra });
    h.store.create(
      'pods',
      podSpec('probed', {
        containers: [
          {
            name: 'c',
            image: 'busybox:1.36',
            readinessProbe: probe({ initialDelaySeconds: 5 }),
            livenessProbe: probe({ failureThreshold: 2 }),
          },
        ],
      }),
    );
    await h.advance(1000);
    expect(cs(h, 'probed')).toMatchObject({ ready: false, started: true, state: { running: {} } });
    await h.advance(5000);
    expect(cs(h, 'probed').ready).toBe(true);
    expect(h.pod('probed')!.status.conditions.find((c: any) => c.type === 'Ready').status).toBe('True');
    h.rt.execResult.set('c', 1);
    await h.advance(10_000);
    expect(cs(h, 'probed').ready).toBe(true);
    await h.advance(10_000, 1000);
    expect(reasons(h, 'probed')).toEqual(expect.arrayContaining(['Unhealthy', 'Killing']));
    const unhealthy = h
      .events('probed')
      .filter((e) => e.reason === 'Unhealthy')
      .map((e) => e.message);
    expect(unhealthy).toEqual(
      expect.arrayContaining(['Liveness probe failed: ran check', 'Readiness probe failed: ran check']),
    );
    expect(h.events('probed').find((e) => e.reason === 'Killing')!.message).toBe(
      'Container c failed liveness probe, will be restarted',
    );
    h.rt.execResult.set('c', 0);
    await h.advance(1000);
    expect(cs(h, 'probed').restartCount).toBe(1);
    expect(h.rt.instances('c')).toHaveLength(2);
  });

  it('a startup probe holds liveness and readiness back until it passes', async () => {
    h = await startHarness();
    h.rt.execResult.set('c', 1);
    h.store.create(
      'pods',
      podSpec('slowstart', {
        containers: [
          {
            name: 'c',
            image: 'busybox:1.36',
            startupProbe: { exec: { command: ['up'] }, periodSeconds: 1, failureThreshold: 30 },
          },
        ],
      }),
    );
    await h.advance(5000);
    expect(cs(h, 'slowstart')).toMatchObject({ started: false, ready: false });
    h.rt.execResult.set('c', 0);
    await h.advance(1000);
    expect(cs(h, 'slowstart')).toMatchObject({ started: true, ready: true });
  });

  it('a changed image restarts the container with it', async () => {
    h = await startHarness();
    h.store.create('pods', podSpec('img', { containers: [{ name: 'c', image: 'nginx:1.25' }] }));
    await h.advance(1000);
    h.store.mutate('pods', 'default', 'img', (p) => {
      p.spec.containers[0].image = 'nginx:1.27';
    });
    await h.advance(2000);
    expect(cs(h, 'img')).toMatchObject({
      restartCount: 1,
      image: 'docker.io/library/nginx:1.27',
      state: { running: {} },
    });
    expect(h.events('img').map((e) => e.message)).toContain('Container c definition changed, will be restarted');
  });

  it('activeDeadlineSeconds fails the pod', async () => {
    h = await startHarness();
    h.store.create('pods', podSpec('deadline', { activeDeadlineSeconds: 30 }));
    await h.advance(31_000, 1000);
    const st = h.pod('deadline')!.status;
    expect(st).toMatchObject({ phase: 'Failed', reason: 'DeadlineExceeded' });
    expect(h.rt.instances('c')[0]!.running).toBe(false);
  });
});

describe('pod worker: environment', () => {
  it('waits in CreateContainerConfigError until the ConfigMap exists', async () => {
    h = await startHarness();
    h.store.create(
      'pods',
      podSpec('cfg', {
        containers: [{ name: 'c', image: 'busybox:1.36', envFrom: [{ configMapRef: { name: 'later' } }] }],
      }),
    );
    await h.advance(1000);
    expect(cs(h, 'cfg').state.waiting).toEqual({
      reason: 'CreateContainerConfigError',
      message: 'configmap "later" not found',
    });
    expect(h.events('cfg').map((e) => e.message)).toContain('Error: configmap "later" not found');
    h.store.create('configmaps', { metadata: { name: 'later', namespace: 'default' }, data: { A: 'b' } });
    await h.advance(10_000, 1000);
    expect(cs(h, 'cfg').state.running).toBeDefined();
    expect(h.rt.instances('c')[0]!.spec.env).toMatchObject({ A: 'b' });
  });
});

describe("pod worker: a new pod's first status", () => {
  /** The kubelet's writes of a pod's status, in order: phase and the first container's state. */
  const statusWrites = (h: Harness, name: string) => {
    const seen: string[] = [];
    const w = h.store.watch('pods', {}, (ev) => {
      if (ev.type !== 'MODIFIED' || ev.object.metadata.name !== name) return;
      const st = ev.object.status?.containerStatuses?.[0]?.state ?? {};
      seen.push(`${ev.object.status?.phase}/${Object.keys(st)[0]}${st.waiting ? `:${st.waiting.reason}` : ''}`);
    });
    return { seen, stop: () => w.stop() };
  };
  /** An image already on the node: its pull takes no time. */
  const pulled = async (h: Harness) => {
    h.store.create('pods', podSpec('first', { containers: [{ name: 'c', image: 'nginx:1.25' }] }));
    await h.advance(1000);
    expect(h.pod('first')!.status.phase).toBe('Running');
  };

  it('is Running when the image is on the node and the container starts: one write, not two', async () => {
    h = await startHarness();
    await pulled(h);
    // A start takes a few turns of the event loop (its files, the log worker), as the runtime's does.
    const start = h.rt.start.bind(h.rt);
    h.rt.start = async (spec) => {
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
      return start(spec);
    };
    const writes = statusWrites(h, 'web');
    h.store.create('pods', podSpec('web', { containers: [{ name: 'c', image: 'nginx:1.25' }] }));
    await h.settle();
    writes.stop();
    expect(writes.seen).toEqual(['Running/running']);
    expect(h.pod('web')!.status.podIP).toBe('127.244.1.3');
  });

  it('is ContainerCreating at once while an image is pulled', async () => {
    h = await startHarness();
    const writes = statusWrites(h, 'web');
    h.store.create('pods', podSpec('web', { containers: [{ name: 'c', image: 'nginx:1.25' }] }));
    await h.settle();
    expect(writes.seen).toEqual(['Pending/waiting:ContainerCreating']);
    await h.advance(1000);
    writes.stop();
    expect(writes.seen).toEqual(['Pending/waiting:ContainerCreating', 'Running/running']);
  });

  it('is ContainerCreating after a second when the start takes longer', async () => {
    h = await startHarness();
    await pulled(h);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const start = h.rt.start.bind(h.rt);
    h.rt.start = async (spec) => {
      await gate;
      return start(spec);
    };
    const writes = statusWrites(h, 'slow');
    h.store.create('pods', podSpec('slow', { containers: [{ name: 'c', image: 'nginx:1.25' }] }));
    await h.advance(900, 100);
    expect(writes.seen).toEqual([]);
    await h.advance(100);
    expect(writes.seen).toEqual(['Pending/waiting:ContainerCreating']);
    release();
    await h.settle();
    writes.stop();
    expect(writes.seen).toEqual(['Pending/waiting:ContainerCreating', 'Running/running']);
  });

  it('is written at once when the container cannot start (CreateContainerConfigError)', async () => {
    h = await startHarness();
    await pulled(h);
    const writes = statusWrites(h, 'cfg');
    h.store.create(
      'pods',
      podSpec('cfg', {
        containers: [{ name: 'c', image: 'nginx:1.25', envFrom: [{ configMapRef: { name: 'later' } }] }],
      }),
    );
    await h.settle();
    writes.stop();
    expect(writes.seen).toEqual(['Pending/waiting:CreateContainerConfigError']);
  });
});
