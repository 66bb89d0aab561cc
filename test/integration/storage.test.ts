import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KObject } from '../../source/api-types/index.ts';
import { startEngine } from '../../source/engine/engine.ts';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

// PersistentVolumes, claims and classes with the real kubectl; data that outlives pods and the engine.
let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => t?.stop());

const store = () => t.engine.ctx.store;
const pod = (name: string): KObject | undefined => store().get('pods', 'default', name);
const claim = (name: string): KObject | undefined => store().get('persistentvolumeclaims', 'default', name);
const ready = (name: string) =>
  waitFor(
    () => pod(name)?.status?.containerStatuses?.every((c: { ready: boolean }) => c.ready),
    30_000,
    `${name} ready`,
  );
const apply = (yaml: string) => t.kubectl(['apply', '-f', '-'], { input: yaml });
const exec = async (name: string, cmd: string) =>
  (await t.kubectl(['exec', name, '--', 'sh', '-c', cmd], { reject: false })).stdout;
const gone = (name: string) => waitFor(() => !pod(name), 30_000, `${name} gone`);

const claimYaml = (name: string, extra = '') => `
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: ${name}}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
${extra}`;
const podYaml = (name: string, claimName: string) => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - {name: c, image: busybox, command: [sleep, "3600"], volumeMounts: [{name: d, mountPath: /data}]}
  volumes: [{name: d, persistentVolumeClaim: {claimName: ${claimName}}}]
`;

describe('storage', () => {
  it('kubectl get sc shows the default class standard', async () => {
    const out = (await t.kubectl(['get', 'sc'])).stdout;
    expect(out).toMatch(/NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE/);
    expect(out).toMatch(/standard \(default\)\s+skiff\.dev\/local-path\s+Delete\s+WaitForFirstConsumer\s+false/);
  });

  it('a claim of the default class waits for its first consumer, is provisioned, and its data survives pod deletion and an engine restart', async () => {
    await apply(claimYaml('data'));
    await waitFor(
      async () =>
        (await t.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=data'])).stdout.includes(
          'WaitForFirstConsumer',
        ),
      20_000,
      'WFFC event',
    );
    expect((await t.kubectl(['get', 'pvc', 'data'])).stdout).toMatch(/data\s+Pending\s+standard/);
    await apply(podYaml('writer', 'data'));
    await ready('writer');
    const pvc = (await t.kubectl(['get', 'pvc', 'data'])).stdout;
    expect(pvc).toMatch(/data\s+Bound\s+pvc-[0-9a-f-]+\s+1Gi\s+RWO\s+standard\s+<unset>/);
    const volume = claim('data')!.spec.volumeName as string;
    expect((await t.kubectl(['get', 'pv'])).stdout).toMatch(
      new RegExp(`${volume}\\s+1Gi\\s+RWO\\s+Delete\\s+Bound\\s+default/data\\s+standard`),
    );
    expect(readdirSync(join(t.home, 'volumes'))).toContain(`${volume}_default_data`);
    await exec('writer', 'echo kept > /data/file');

    await t.kubectl(['delete', 'pod', 'writer']);
    await gone('writer');
    await apply(podYaml('reader', 'data'));
    await ready('reader');
    expect(await exec('reader', 'cat /data/file')).toBe('kept');

    // The engine goes down and comes back on the same home: the claim, volume and data are there.
    await t.engine.stop();
    t.engine = await startEngine({ home: t.home, port: 0, timeScale: 0.05, log: () => {} });
    // Right after the restart the pod's stored status is the one from before (Ready): the kubelet
    // restarts the container a moment later, so ask until the new container answers.
    expect(
      await waitFor(async () => (await exec('reader', 'cat /data/file')) || undefined, 30_000, 'the restarted reader'),
    ).toBe('kept');
  });

  it('a claim in use is not deleted until its pod is gone; then a Delete volume goes with its directory', async () => {
    const volume = claim('data')!.spec.volumeName as string;
    await t.kubectl(['delete', 'pvc', 'data', '--wait=false']);
    expect((await t.kubectl(['get', 'pvc', 'data'])).stdout).toMatch(/data\s+Terminating/);
    expect(claim('data')!.metadata.finalizers).toContain('kubernetes.io/pvc-protection');
    await t.kubectl(['delete', 'pod', 'reader']);
    await waitFor(() => !claim('data'), 30_000, 'claim deleted');
    await waitFor(() => !store().get('persistentvolumes', undefined, volume), 30_000, 'volume deleted');
    expect(existsSync(join(t.home, 'volumes', `${volume}_default_data`))).toBe(false);
  });

  it('an Immediate class binds at once; a static hostPath volume binds a claim with storageClassName "" and is Retained', async () => {
    await apply(`
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast}
provisioner: skiff.dev/local-path
volumeBindingMode: Immediate
reclaimPolicy: Retain
`);
    await apply(claimYaml('quick', '  storageClassName: fast'));
    await waitFor(() => claim('quick')?.status?.phase === 'Bound', 20_000, 'quick bound');

    const path = join(t.home, 'hostpath', 'static');
    mkdirSync(path, { recursive: true });
    await apply(`
apiVersion: v1
kind: PersistentVolume
metadata: {name: static-small, labels: {size: small}}
spec:
  capacity: {storage: 100Mi}
  accessModes: [ReadWriteOnce]
  storageClassName: ""
  hostPath: {path: ${path}-small}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: static-big}
spec:
  capacity: {storage: 2Gi}
  accessModes: [ReadWriteOnce, ReadWriteMany]
  storageClassName: ""
  hostPath: {path: ${path}}
`);
    await waitFor(
      () => store().get('persistentvolumes', undefined, 'static-big')?.status?.phase === 'Available',
      20_000,
      'available',
    );
    await apply(`
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: shared}
spec:
  storageClassName: ""
  accessModes: [ReadWriteMany]
  resources: {requests: {storage: 1Gi}}
`);
    await waitFor(() => claim('shared')?.spec?.volumeName === 'static-big', 20_000, 'bound to static-big');
    expect((await t.kubectl(['get', 'pvc', 'shared'])).stdout).toMatch(
      /shared\s+Bound\s+static-big\s+2Gi\s+RWO,RWX\s+<unset>/,
    );
    await t.kubectl(['delete', 'pvc', 'shared']);
    await waitFor(
      () => store().get('persistentvolumes', undefined, 'static-big')?.status?.phase === 'Released',
      20_000,
      'released',
    );
    expect((await t.kubectl(['get', 'pv', 'static-big'])).stdout).toMatch(
      /static-big\s+2Gi\s+RWO,RWX\s+Retain\s+Released\s+default\/shared/,
    );
  });

  it("a volume's node affinity decides where its pod runs", async () => {
    const path = join(t.home, 'hostpath', 'local-node2');
    mkdirSync(path, { recursive: true });
    await apply(`
apiVersion: v1
kind: PersistentVolume
metadata: {name: local-node2}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: ""
  local: {path: ${path}}
  nodeAffinity:
    required:
      nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [node2]}]}]
${claimYaml('pinned', '  storageClassName: ""').replace(/^/, '---')}
`);
    await waitFor(() => claim('pinned')?.status?.phase === 'Bound', 20_000, 'pinned bound');
    for (const n of ['a', 'b', 'c']) await apply(podYaml(`pinned-${n}`, 'pinned'));
    for (const n of ['a', 'b', 'c']) await waitFor(() => pod(`pinned-${n}`)?.spec?.nodeName, 20_000, 'scheduled');
    expect(['a', 'b', 'c'].map((n) => pod(`pinned-${n}`)!.spec.nodeName)).toEqual(['node2', 'node2', 'node2']);
  });

  it('bad claims are refused with the apiserver wording', async () => {
    const r = await t.kubectl(['apply', '-f', '-'], {
      input:
        'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: bad}\nspec: {resources: {requests: {storage: 1Gi}}}\n',
      reject: false,
    });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('spec.accessModes: Required value: at least 1 access mode is required');
  });
});
