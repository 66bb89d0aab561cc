import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';
import type { EventObject } from '../../source/api-types/event.ts';

// Probes over real sockets: httpGet against the built-in nginx, tcpSocket to a closed port.
let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => t?.stop());

const pod = (name: string) => t.engine.ctx.store.get('pods', 'default', name);
const events = (name: string) =>
  t.engine.ctx.store.list('events').items.filter((e: EventObject) => e.involvedObject?.name === name);

describe('probes', () => {
  it('an httpGet readiness probe keeps the pod unready until the page exists', async () => {
    await t.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'ready-check' },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1.25',
              readinessProbe: { httpGet: { path: '/healthz', port: 80 }, periodSeconds: 1 },
            },
          ],
        },
      }),
    });
    // On a loaded machine a probe may also time out (its own Unhealthy event); the 404 one must come.
    const notFound = 'Readiness probe failed: HTTP probe failed with statuscode: 404';
    await waitFor(
      () => events('ready-check').some((e) => e.reason === 'Unhealthy' && e.message === notFound),
      40_000,
      'a probe failed with 404',
    );
    expect((await t.kubectl(['get', 'pod', 'ready-check'])).stdout).toMatch(/ready-check\s+0\/1\s+Running/);
    await t.kubectl(['exec', 'ready-check', '--', 'sh', '-c', 'echo ok > /usr/share/nginx/html/healthz']);
    await waitFor(() => pod('ready-check')?.status?.containerStatuses?.[0]?.ready, 20_000, 'Ready');
    expect((await t.kubectl(['get', 'pod', 'ready-check'])).stdout).toMatch(/ready-check\s+1\/1\s+Running/);
  }, 120_000);

  it('a failing tcpSocket liveness probe restarts the container', async () => {
    await t.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'live-check' },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1.25',
              livenessProbe: { tcpSocket: { port: 8081 }, periodSeconds: 1, failureThreshold: 2 },
            },
          ],
        },
      }),
    });
    await waitFor(
      () => (pod('live-check')?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2,
      30_000,
      'two restarts',
    );
    const ip = pod('live-check')!.status.podIP;
    const messages = events('live-check').map((e) => `${e.reason}: ${e.message}`);
    expect(messages).toContain(`Unhealthy: Liveness probe failed: dial tcp ${ip}:8081: connect: connection refused`);
    expect(messages).toContain('Killing: Container web failed liveness probe, will be restarted');
  });
});
