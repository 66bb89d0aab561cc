import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KObject } from '../../source/api-types/index.ts';
import { describe as describeText, relatedQueries, type DescribeContext } from '../../source/describe/index.ts';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

// The TUI's describe of StatefulSets, PersistentVolumeClaims and PersistentVolumes prints what
// kubectl describe prints for the same objects (up to the events, whose ages move).
let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  const set = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', labels: { tier: 'data' } },
    spec: {
      serviceName: 'db',
      replicas: 2,
      selector: { matchLabels: { app: 'db' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 1 } },
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
          metadata: { name: 'data', labels: { keep: 'yes' } },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      ],
    },
  };
  await t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(set) });
  await t.kubectl(['rollout', 'status', 'sts/db', '--timeout=120s'], { timeout: 130_000 });
  await t.kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'unused' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } },
    }),
  });
  await waitFor(
    async () => (await t.kubectl(['get', 'pvc', 'data-db-1', '-o', 'jsonpath={.status.phase}'])).stdout === 'Bound',
    30_000,
    'claims bound',
  );
}, 180_000);
afterAll(async () => t?.stop());

/** What the TUI's client does: GET the object and every related list, then render. */
async function ours(resource: string, name: string): Promise<string> {
  const obj = JSON.parse((await t.kubectl(['get', resource, name, '-o', 'json'])).stdout) as KObject;
  const ctx: DescribeContext = { now: Date.now(), events: [], related: {} };
  for (const q of relatedQueries(obj)) {
    if (q.as === 'events') continue;
    const qs = new URLSearchParams(q.query).toString();
    const list = JSON.parse((await t.kubectl(['get', '--raw', `${q.apiPath}${qs ? `?${qs}` : ''}`])).stdout) as {
      items: KObject[];
    };
    ctx.related![q.as as 'pods'] = [...(ctx.related![q.as as 'pods'] ?? []), ...list.items];
  }
  return describeText(obj, ctx);
}

const theirs = async (resource: string, name: string) => (await t.kubectl(['describe', resource, name])).stdout;
const upToEvents = (s: string) => s.split('Events:')[0];

describe('describe: storage and StatefulSets as kubectl prints them', () => {
  it('a StatefulSet with its claim templates', async () => {
    expect(upToEvents(await ours('sts', 'db'))).toBe(upToEvents(await theirs('sts', 'db')));
  });

  it('a bound claim with the pod that uses it, and a pending one', async () => {
    expect(upToEvents(await ours('pvc', 'data-db-0'))).toBe(upToEvents(await theirs('pvc', 'data-db-0')));
    expect(upToEvents(await ours('pvc', 'unused'))).toBe(upToEvents(await theirs('pvc', 'unused')));
  });

  it('a provisioned volume', async () => {
    const pv = (await t.kubectl(['get', 'pvc', 'data-db-0', '-o', 'jsonpath={.spec.volumeName}'])).stdout;
    expect(upToEvents(await ours('pv', pv))).toBe(upToEvents(await theirs('pv', pv)));
  });
});
