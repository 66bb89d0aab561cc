import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => {
  await t?.stop();
});

const k = async (...args: string[]) => (await t.kubectl(args)).stdout;
const apply = (obj: unknown) => t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(obj) });

const db = (replicas: number, policy?: Record<string, string>) => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'db' },
  spec: {
    serviceName: 'db',
    replicas,
    selector: { matchLabels: { app: 'db' } },
    ...(policy ? { persistentVolumeClaimRetentionPolicy: policy } : {}),
    template: {
      metadata: { labels: { app: 'db' } },
      spec: {
        containers: [
          {
            name: 'db',
            image: 'busybox',
            command: ['sleep', '3600'],
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          },
        ],
      },
    },
    volumeClaimTemplates: [
      {
        metadata: { name: 'data', labels: { tier: 'storage' } },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
    ],
  },
});

const claims = async () =>
  (await k('get', 'pvc', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.phase}{" "}{end}')).trim();

describe('StatefulSet volumeClaimTemplates', () => {
  it('gives each pod its own claim, named <template>-<set>-<ordinal>, bound and mounted', async () => {
    await apply(db(2));
    await k('rollout', 'status', 'sts/db', '--timeout=90s');
    await waitFor(async () => (await claims()) === 'data-db-0=Bound data-db-1=Bound', 30_000, 'both claims bound');
    expect(
      await k(
        'get',
        'pvc',
        'data-db-0',
        '-o',
        'jsonpath={.metadata.labels.app},{.metadata.labels.tier},{.spec.storageClassName}',
      ),
    ).toBe('db,storage,standard');
    expect(
      await k(
        'get',
        'pod',
        'db-1',
        '-o',
        'jsonpath={.spec.volumes[?(@.name=="data")].persistentVolumeClaim.claimName}',
      ),
    ).toBe('data-db-1');
    const template = JSON.parse(await k('get', 'sts', 'db', '-o', 'jsonpath={.spec.volumeClaimTemplates[0]}'));
    expect(template).toMatchObject({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      spec: { volumeMode: 'Filesystem' },
      status: { phase: 'Pending' },
    });
    const events = await k(
      'get',
      'events',
      '--field-selector',
      'involvedObject.name=db,reason=SuccessfulCreate',
      '-o',
      'jsonpath={range .items[*]}{.message}{"\\n"}{end}',
    );
    expect(events).toContain('create Claim data-db-0 Pod db-0 in StatefulSet db success');
  }, 180_000);

  it('a replaced pod finds its data again; its neighbour does not see it', async () => {
    await k('exec', 'db-0', '--', 'sh', '-c', 'echo kept > /data/file');
    const before = await k('get', 'pod', 'db-0', '-o', 'jsonpath={.metadata.uid}');
    await k('delete', 'pod', 'db-0', '--wait=false');
    await waitFor(
      async () => {
        const uid = (await t.kubectl(['get', 'pod', 'db-0', '-o', 'jsonpath={.metadata.uid}'])).stdout;
        return uid !== '' && uid !== before;
      },
      60_000,
      'db-0 recreated',
    );
    await k('wait', '--for=condition=Ready', 'pod/db-0', '--timeout=60s');
    expect((await k('exec', 'db-0', '--', 'cat', '/data/file')).trim()).toBe('kept');
    const neighbour = await t.kubectl(['exec', 'db-1', '--', 'ls', '/data']);
    expect(neighbour.stdout.trim()).toBe('');
  }, 180_000);

  it('keeps claims on scale-down by default (Retain) and reuses them on scale-up', async () => {
    await k('scale', 'sts/db', '--replicas=1');
    await k('wait', '--for=delete', 'pod/db-1', '--timeout=60s');
    expect(await claims()).toBe('data-db-0=Bound data-db-1=Bound');
  }, 180_000);

  it("whenScaled: Delete removes the condemned pod's claim; whenDeleted: Delete removes the rest with the set", async () => {
    await apply(db(1, { whenScaled: 'Delete', whenDeleted: 'Delete' }));
    await k('scale', 'sts/db', '--replicas=2');
    await k('rollout', 'status', 'sts/db', '--timeout=90s');
    await waitFor(
      async () =>
        (await k('get', 'pvc', 'data-db-0', '-o', 'jsonpath={.metadata.ownerReferences[0].kind}')) === 'StatefulSet',
      30_000,
      'set owns its claims',
    );
    await k('scale', 'sts/db', '--replicas=1');
    await waitFor(async () => (await claims()) === 'data-db-0=Bound', 60_000, 'data-db-1 deleted with its pod');
    await k('delete', 'sts', 'db');
    await waitFor(async () => (await claims()) === '', 60_000, 'claims deleted with the set');
  }, 240_000);

  it("rejects a template without access modes or size, with the apiserver's causes", async () => {
    const bad = db(1);
    bad.metadata.name = 'bad';
    bad.spec.volumeClaimTemplates[0]!.spec = {} as (typeof bad.spec.volumeClaimTemplates)[0]['spec'];
    const r = await t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(bad), reject: false });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain(
      'spec.volumeClaimTemplates[0].spec.accessModes: Required value: at least 1 access mode is required',
    );
    expect(r.stderr).toContain('spec.volumeClaimTemplates[0].spec.resources[storage]: Required value');
  });
});
