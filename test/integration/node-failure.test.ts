import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

// `skiff node stop node2`: the node goes NotReady, its pods are evicted after the toleration
// timeout and the deployment's replicas all come back on node1.

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => t?.stop());

const kc = (...args: string[]) => t.kubectl(args);
const isLive = (p: any) =>
  !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
const isReady = (p: any) => (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

function admin(path: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${t.engine.url}${path}`,
      { method: 'POST', ca: t.engine.caCert, headers: { Authorization: `Bearer ${t.engine.token}` } },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(body) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function pods(): Promise<any[]> {
  return JSON.parse((await kc('get', 'pods', '-l', 'app=my-nginx', '-o', 'json')).stdout).items;
}

describe('node failure', () => {
  it('moves every replica of a stopped node to the other worker', async () => {
    await kc('create', 'deployment', 'my-nginx', '--image=nginx', '--replicas=4');
    // The test engine runs 20× faster: the default 600 s deadline would be 30 s of a loaded machine.
    await kc('patch', 'deployment', 'my-nginx', '-p', '{"spec":{"progressDeadlineSeconds":72000}}');
    await kc('rollout', 'status', 'deployment/my-nginx', '--timeout=120s');
    expect(new Set((await pods()).map((p) => p.spec.nodeName))).toEqual(new Set(['node1', 'node2']));

    expect(await admin('/skiff/v1/nodes/nope/stop')).toMatchObject({ status: 404 });
    const stop = await admin('/skiff/v1/nodes/node2/stop');
    expect(stop.status).toBe(200);
    await waitFor(async () => /node2\s+NotReady/.test((await kc('get', 'nodes')).stdout), 60_000, 'node2 NotReady');
    const live = await waitFor(
      async () => {
        const ps = (await pods()).filter(isLive);
        return ps.length === 4 && ps.every((p) => p.spec.nodeName === 'node1' && isReady(p)) && ps;
      },
      90_000,
      'all replicas Ready on node1',
    );
    expect(live).toHaveLength(4);
    await kc('rollout', 'status', 'deployment/my-nginx', '--timeout=120s');
    const d = JSON.parse((await kc('get', 'deployment', 'my-nginx', '-o', 'json')).stdout);
    expect(d.status).toMatchObject({ replicas: 4, readyReplicas: 4, availableReplicas: 4 });
    expect(d.status.unavailableReplicas).toBeUndefined();
    const events = (await kc('get', 'events', '--field-selector', 'reason=TaintManagerEviction')).stdout;
    expect(events).toMatch(/Marking for deletion Pod default\/my-nginx-/);

    expect((await admin('/skiff/v1/nodes/node2/start')).status).toBe(200);
    await waitFor(async () => /node2\s+Ready\s/.test((await kc('get', 'nodes')).stdout), 60_000, 'node2 Ready again');
    // Pods left Terminating on the dead node are cleaned up once its kubelet is back.
    await waitFor(async () => (await pods()).length === 4, 60_000, 'terminating pods on node2 gone');
  }, 600_000);
});
