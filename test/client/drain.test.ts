import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainStatus, evictNodePods, type DrainProgress } from '../../source/client/drain.ts';
import { loadKubeConfig } from '../../source/client/kubeconfig.ts';
import { Transport } from '../../source/client/transport.ts';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

let t: TestEngine;
let tr: Transport;

const MANIFEST = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: guarded, namespace: drain}
spec:
  replicas: 2
  selector: {matchLabels: {app: guarded}}
  template:
    metadata: {labels: {app: guarded}}
    spec:
      nodeSelector: {kubernetes.io/hostname: node2}
      containers: [{name: web, image: nginx}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: guarded, namespace: drain}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: guarded}}
`;

beforeAll(async () => {
  t = await startTestEngine();
  tr = new Transport(loadKubeConfig({ path: t.engine.kubeconfigPath }));
  await t.kubectl(['create', 'namespace', 'drain']);
  await t.kubectl(['apply', '-f', '-'], { input: MANIFEST });
  await waitFor(
    async () =>
      (await t.kubectl(['get', 'deploy', 'guarded', '-n', 'drain', '-o', 'jsonpath={.status.readyReplicas}']))
        .stdout === '2',
    60_000,
    'guarded ready',
  );
}, 120_000);
afterAll(async () => {
  tr?.close();
  await t?.stop();
});

describe('drain', () => {
  it('retries each pod a disruption budget protects (429) and finishes once the budget allows, as kubectl drain does', async () => {
    await t.kubectl(['cordon', 'node2']);
    const seen: DrainProgress[] = [];
    const drained = evictNodePods(tr, 'node2', { retryMs: 500, onProgress: (p) => seen.push(p) });
    await waitFor(() => seen.some((p) => p.blocked.size > 0), 30_000, 'a blocked eviction');
    const blocked = seen.find((p) => p.blocked.size > 0)!;
    expect([...blocked.blocked.values()][0]).toBe(
      'The disruption budget guarded needs 2 healthy pods and has 2 currently',
    );
    expect(drainStatus('node2', blocked)).toMatch(
      /^Draining node\/node2: \d+\/\d+ pods evicted; \d+ waiting for a disruption budget/,
    );
    // Still cordoned and still trying: the guarded pods are there.
    expect(
      (
        await t.kubectl([
          'get',
          'pods',
          '-n',
          'drain',
          '-l',
          'app=guarded',
          '--field-selector=spec.nodeName=node2',
          '-o',
          'name',
        ])
      ).stdout
        .trim()
        .split('\n'),
    ).toHaveLength(2);
    await t.kubectl(['patch', 'pdb', 'guarded', '-n', 'drain', '--type=merge', '-p', '{"spec":{"minAvailable":0}}']);
    const evicted = await drained;
    expect(evicted).toBe(seen[0]!.total);
    expect(seen.at(-1)!.blocked.size).toBe(0);
    await waitFor(
      async () => {
        const left = (
          await t.kubectl([
            'get',
            'pods',
            '-A',
            '--field-selector=spec.nodeName=node2',
            '-o',
            'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name} {.metadata.ownerReferences[0].kind}{"\\n"}{end}',
          ])
        ).stdout;
        return (
          left.split('\n').filter((l) => l.trim() && !l.includes('DaemonSet') && l.includes('guarded')).length === 0
        );
      },
      30_000,
      'guarded pods gone from node2',
    );
  }, 120_000);

  it('gives up with the server’s reason after the timeout instead of hanging', async () => {
    await t.kubectl(['uncordon', 'node2']);
    await t.kubectl(['patch', 'pdb', 'guarded', '-n', 'drain', '--type=merge', '-p', '{"spec":{"minAvailable":2}}']);
    await waitFor(
      async () =>
        (await t.kubectl(['get', 'deploy', 'guarded', '-n', 'drain', '-o', 'jsonpath={.status.readyReplicas}']))
          .stdout === '2',
      60_000,
      'guarded ready again',
    );
    await waitFor(
      async () =>
        (await t.kubectl(['get', 'pdb', 'guarded', '-n', 'drain', '-o', 'jsonpath={.status.disruptionsAllowed}']))
          .stdout === '0',
      30_000,
      'budget 0',
    );
    await expect(evictNodePods(tr, 'node2', { retryMs: 200, timeoutMs: 1_000 })).rejects.toThrow(
      /gave up: cannot evict pod drain\/guarded-\S+: Cannot evict pod as it would violate the pod's disruption budget\./,
    );
  }, 120_000);
});
