import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

// The scheduler's VolumeBinding PreFilter: a pod whose claim is missing, or unbound while its
// class binds Immediately, stays Pending with upstream's FailedScheduling message, and is
// scheduled once the claim is there.
let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => t?.stop());

const k = async (...args: string[]) => (await t.kubectl(args)).stdout;
const apply = (obj: unknown) => t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(obj) });
const pod = (name: string, claim: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: {
    containers: [
      { name: 'c', image: 'busybox', command: ['sleep', '3600'], volumeMounts: [{ name: 'd', mountPath: '/d' }] },
    ],
    volumes: [{ name: 'd', persistentVolumeClaim: { claimName: claim } }],
  },
});
const scheduled = (name: string) =>
  k(
    'get',
    'pod',
    name,
    '-o',
    'jsonpath={.status.conditions[?(@.type=="PodScheduled")].status}|{.status.conditions[?(@.type=="PodScheduled")].message}',
  );

describe('scheduling pods with claims', () => {
  it('waits for a missing claim, then schedules the pod once it exists', async () => {
    await apply(pod('needs-claim', 'later'));
    await waitFor(async () => (await scheduled('needs-claim')).startsWith('False|'), 30_000, 'unschedulable');
    expect(await scheduled('needs-claim')).toBe(
      'False|0/3 nodes are available: persistentvolumeclaim "later" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..',
    );
    expect(
      await k(
        'get',
        'events',
        '--field-selector',
        'involvedObject.name=needs-claim,reason=FailedScheduling',
        '-o',
        'jsonpath={.items[0].type}',
      ),
    ).toBe('Warning');
    await apply({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'later' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    await t.kubectl(['wait', '--for=condition=Ready', 'pod/needs-claim', '--timeout=90s'], { timeout: 100_000 });
  }, 150_000);

  it('an unbound claim of an Immediate class that nothing can satisfy keeps the pod Pending', async () => {
    await apply({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'static' },
      spec: { storageClassName: '', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    await apply(pod('needs-volume', 'static'));
    await waitFor(async () => (await scheduled('needs-volume')).startsWith('False|'), 30_000, 'unschedulable');
    expect(await scheduled('needs-volume')).toContain(
      '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.',
    );
    expect(await k('get', 'pod', 'needs-volume', '-o', 'jsonpath={.spec.nodeName}')).toBe('');
  }, 90_000);
});
