import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';

// At real speed (time scale 1): `kubectl delete pod` of a StatefulSet pod must return. A pod that
// vanished within kubectl's GET → LIST window, replaced under the same name, left kubectl
// waiting forever for a DELETED event.
let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine({ timeScale: 1 });
});
afterAll(async () => t?.stop());

it('kubectl delete pod returns while the StatefulSet replaces the pod under the same name', async () => {
  const sts = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web' },
    spec: {
      serviceName: 'web',
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }],
        },
      },
    },
  };
  await t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(sts) });
  await t.kubectl(['rollout', 'status', 'sts/web', '--timeout=120s'], { timeout: 130_000 });
  for (let round = 0; round < 3; round++) {
    const before = (await t.kubectl(['get', 'pod', 'web-0', '-o', 'jsonpath={.metadata.uid}'])).stdout;
    const r = await t.kubectl(['delete', 'pod', 'web-0', '--timeout=30s', ...(process.env.DBG ? ['-v=6'] : [])], {
      reject: false,
      timeout: 40_000,
    });
    if (process.env.DBG)
      console.log(
        round,
        r.exitCode,
        r.stderr
          .split('\n')
          .filter((l) => /DELETE|GET|Stopping|Error|error/.test(l))
          .join('\n'),
      );
    if (!process.env.DBG) expect(r.stderr).toBe('');
    expect(r.stdout).toBe('pod "web-0" deleted');
    await t.kubectl(['wait', '--for=condition=Ready', 'pod/web-0', '--timeout=60s'], { timeout: 70_000 });
    expect((await t.kubectl(['get', 'pod', 'web-0', '-o', 'jsonpath={.metadata.uid}'])).stdout).not.toBe(before);
  }
}, 400_000);
