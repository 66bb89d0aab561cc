import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KObject } from '../../source/api-types/index.ts';
import { loadKubeConfig } from '../../source/client/kubeconfig.ts';
import { LiveTraffic, routeFor } from '../../source/client/live-traffic.ts';
import { Transport } from '../../source/client/transport.ts';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

// Live traffic against a real engine: each answered request is traced to the pod that answered it.
let t: TestEngine;
let transport: Transport;
let traffic: LiveTraffic | undefined;

beforeAll(async () => {
  t = await startTestEngine();
  transport = new Transport(loadKubeConfig({ path: t.engine.kubeconfigPath }));
  await t.kubectl(['create', 'deployment', 'web', '--image=nginx:1.9.1', '--replicas=2']);
  await t.kubectl(['rollout', 'status', 'deploy/web', '--timeout=90s']);
}, 150_000);
afterAll(async () => t?.stop());
afterEach(() => {
  traffic?.stop();
  traffic = undefined;
});

const pods = async () =>
  (
    await transport.json<{ items: KObject[] }>({
      path: '/api/v1/namespaces/default/pods',
      query: { labelSelector: 'app=web' },
    })
  ).items;
const services = async () =>
  (await transport.json<{ items: KObject[] }>({ path: '/api/v1/namespaces/default/services' })).items;

// The pods answer at once; a loaded machine may still take seconds, which is not a failure here.
const ANSWER_WITHIN_MS = 30_000;

describe('LiveTraffic', () => {
  it('with no Service, goes round robin to the ready pods and knows who answered', async () => {
    const route = routeFor(transport, await services(), { app: 'web' }, 80);
    expect(route).toEqual({ kind: 'pods', port: 80 });
    traffic = new LiveTraffic(transport, route, 20, ANSWER_WITHIN_MS);
    const list = await pods();
    traffic.setPods(list);
    await waitFor(() => traffic!.totals.ok >= 20, 30_000, '20 answers');
    const names = list.map((p) => p.metadata.name);
    expect([...traffic.totals.byPod.keys()].sort()).toEqual(names.sort());
    expect(traffic.totals.failed, traffic.totals.lastError).toBe(0);
    const secs = traffic.seconds(10);
    expect(secs).toHaveLength(10);
    expect(secs.reduce((n, s) => n + [...s.byPod.values()].reduce((a, b) => a + b, 0), 0)).toBeGreaterThan(0);
  }, 90_000);

  it('through a Service, traces each request to a pod through the access logs', async () => {
    await t.kubectl(['expose', 'deployment', 'web', '--port=8080', '--target-port=80']);
    const route = routeFor(transport, await services(), { app: 'web' }, 80);
    expect(route).toMatchObject({ kind: 'service', name: 'web' });
    traffic = new LiveTraffic(transport, route, 20, ANSWER_WITHIN_MS);
    traffic.setPods(await pods());
    await waitFor(() => traffic!.totals.ok >= 30, 30_000, '30 answers');
    // Every answer shows up in one pod's log: the round robin reaches both.
    await waitFor(() => [...traffic!.totals.byPod.values()].reduce((a, b) => a + b, 0) >= 30, 30_000, 'answers traced');
    expect(traffic.totals.byPod.size).toBe(2);
    expect(traffic.totals.failed, traffic.totals.lastError).toBe(0);
  }, 90_000);

  it('counts refused connections as failures, with the reason', async () => {
    traffic = new LiveTraffic(
      transport,
      { kind: 'service', name: 'gone', url: 'http://127.0.0.1:1/', viaApi: false },
      20,
    );
    await waitFor(() => traffic!.totals.failed >= 5, 30_000, 'failures');
    expect(traffic.totals.ok).toBe(0);
    expect(traffic.totals.lastError).toMatch(/ECONNREFUSED/);
  }, 60_000);

  it('a sustained load: the rate for the time given, then nothing more is sent and it says it finished', async () => {
    const route = routeFor(transport, await services(), { app: 'web' }, 80);
    traffic = new LiveTraffic(transport, route, 20, 2000, 2000);
    traffic.setPods(await pods());
    expect(traffic.finished).toBe(false);
    expect(traffic.remainingMs()).toBeGreaterThan(0);
    await waitFor(() => traffic!.finished, 10_000, 'the load to finish');
    await waitFor(
      () => traffic!.totals.ok + traffic!.totals.failed === traffic!.totals.sent,
      10_000,
      'the last answers',
    );
    const sent = traffic.totals.sent;
    // 20/s for 2 s: 40 requests at most (fewer only when a stalled timer made it skip some).
    expect(sent).toBeLessThanOrEqual(40);
    expect(sent).toBeGreaterThanOrEqual(30);
    await new Promise((r) => setTimeout(r, 500));
    expect(traffic.totals.sent).toBe(sent);
  }, 60_000);
});
