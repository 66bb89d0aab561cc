import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => {
  await t?.stop();
});

const k = async (...args: string[]) => (await t.kubectl(args)).stdout;
const apply = (obj: unknown) => t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(obj) });

const sts = (replicas: number, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'web' },
  spec: {
    serviceName: 'web',
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } },
    ...extra,
  },
});

/** The order the controller created and deleted pods in, from its events. */
async function podEvents(reason: string): Promise<string[]> {
  const out = await k(
    'get',
    'events',
    '--field-selector',
    `involvedObject.kind=StatefulSet,reason=${reason}`,
    '--sort-by=.metadata.name',
    '-o',
    'jsonpath={range .items[*]}{.message}{"\\n"}{end}',
  );
  return out
    .split('\n')
    .filter(Boolean)
    .map((m) => m.match(/Pod (\S+)/)![1]!);
}

describe('StatefulSets with the real kubectl', () => {
  it('creates web-0…2 in order with stable hostnames and the pod-name label', async () => {
    await apply({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { clusterIP: 'None', selector: { app: 'web' }, ports: [{ port: 80 }] },
    });
    await apply(sts(3));
    await k('rollout', 'status', 'sts/web', '--timeout=60s');
    expect(await k('get', 'sts', 'web', '--no-headers')).toMatch(/^web\s+3\/3\s+\d+s$/);
    const pods = await k(
      'get',
      'pods',
      '-l',
      'app=web',
      '-o',
      'jsonpath={range .items[*]}{.metadata.name} {.spec.hostname}.{.spec.subdomain} {.metadata.labels.statefulset\\.kubernetes\\.io/pod-name}{"\\n"}{end}',
    );
    expect(pods.split('\n').sort()).toEqual([
      'web-0 web-0.web web-0',
      'web-1 web-1.web web-1',
      'web-2 web-2.web web-2',
    ]);
    expect(await podEvents('SuccessfulCreate')).toEqual(['web-0', 'web-1', 'web-2']);
  });

  it('scales down from the highest ordinal', async () => {
    await k('scale', 'sts/web', '--replicas=1');
    await k('wait', '--for=delete', 'pod/web-1', 'pod/web-2', '--timeout=30s');
    expect(await podEvents('SuccessfulDelete')).toEqual(['web-2', 'web-1']);
    await k('scale', 'sts/web', '--replicas=3');
    await k('rollout', 'status', 'sts/web', '--timeout=60s');
  });

  it('rolls out a new image in reverse ordinal order, keeps history and undoes', async () => {
    await k('set', 'image', 'sts/web', 'nginx=nginx:1.27');
    await k('rollout', 'status', 'sts/web', '--timeout=60s');
    const images = await k('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].spec.containers[0].image}');
    expect(images).toBe('nginx:1.27 nginx:1.27 nginx:1.27');
    expect((await podEvents('SuccessfulDelete')).slice(-3)).toEqual(['web-2', 'web-1', 'web-0']);
    const history = await k('rollout', 'history', 'sts/web');
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    expect(await k('rollout', 'undo', 'sts/web')).toBe('statefulset.apps/web rolled back');
    await k('rollout', 'status', 'sts/web', '--timeout=60s');
    await k('wait', '--for=jsonpath={.status.updatedReplicas}=3', 'sts/web', '--timeout=30s');
    const back = await k('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].spec.containers[0].image}');
    expect(back).toBe('nginx:1.25 nginx:1.25 nginx:1.25');
    expect(await k('rollout', 'history', 'sts/web')).toMatch(/REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>/);
    expect(await k('get', 'controllerrevisions', '--no-headers')).toMatch(/web-\S+\s+statefulset\.apps\/web\s+3\s+/);
  });

  it('a partition keeps the lower ordinals on the old revision', async () => {
    await k(
      'patch',
      'sts/web',
      '-p',
      JSON.stringify({ spec: { updateStrategy: { rollingUpdate: { partition: 2 } } } }),
    );
    await k('set', 'image', 'sts/web', 'nginx=nginx:1.27');
    const out = await k('rollout', 'status', 'sts/web', '--timeout=60s');
    expect(out).toContain('partitioned roll out complete: 1 new pods have been updated...');
    const images = await k(
      'get',
      'pods',
      'web-0',
      'web-1',
      'web-2',
      '-o',
      'jsonpath={.items[*].spec.containers[0].image}',
    );
    expect(images).toBe('nginx:1.25 nginx:1.25 nginx:1.27');
    await k('rollout', 'restart', 'sts/web');
  });

  it('refuses to change fields StatefulSets keep', async () => {
    const r = await t.kubectl(['patch', 'sts/web', '-p', JSON.stringify({ spec: { serviceName: 'other' } })], {
      reject: false,
    });
    expect(r.stderr).toContain(
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    );
  });

  it('DaemonSets keep ControllerRevisions: rollout history and undo', async () => {
    await apply({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: {
          metadata: { labels: { app: 'agent' } },
          spec: { containers: [{ name: 'a', image: 'nginx:1.25' }] },
        },
      },
    });
    await k('rollout', 'status', 'ds/agent', '--timeout=60s');
    await k('set', 'image', 'ds/agent', 'a=nginx:1.27');
    await k('rollout', 'status', 'ds/agent', '--timeout=60s');
    expect(await k('rollout', 'history', 'ds/agent')).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    expect(await k('rollout', 'undo', 'ds/agent')).toBe('daemonset.apps/agent rolled back');
    await k('rollout', 'status', 'ds/agent', '--timeout=60s');
    expect(await k('get', 'ds', 'agent', '-o', 'jsonpath={.spec.template.spec.containers[0].image}')).toBe(
      'nginx:1.25',
    );
    expect(await k('rollout', 'history', 'ds/agent')).toMatch(/REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>/);
  });

  it('ReplicationControllers and PodTemplates (core/v1) for old manifests', async () => {
    await apply({
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'legacy' },
      spec: {
        replicas: 2,
        template: {
          metadata: { labels: { app: 'legacy' } },
          spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] },
        },
      },
    });
    await apply({
      apiVersion: 'v1',
      kind: 'PodTemplate',
      metadata: { name: 'tmpl' },
      template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    });
    await k('wait', '--for=jsonpath={.status.readyReplicas}=2', 'rc/legacy', '--timeout=60s');
    expect(await k('get', 'rc', 'legacy')).toMatch(/NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\nlegacy\s+2\s+2\s+2\s+/);
    expect(await k('get', 'podtemplate', 'tmpl', '--no-headers')).toMatch(/^tmpl\s+c\s+busybox\s+app=x$/);
    await k('scale', 'rc/legacy', '--replicas=3');
    await k('wait', '--for=jsonpath={.status.readyReplicas}=3', 'rc/legacy', '--timeout=60s');
    await k('delete', 'rc', 'legacy');
    await k('wait', '--for=delete', 'pod', '-l', 'app=legacy', '--timeout=60s');
  });
});
