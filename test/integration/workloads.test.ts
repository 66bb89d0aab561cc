import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

// The tutorial's Deployment story with the real kubectl, one deployment through every step.

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => t?.stop());

const kc = (...args: string[]) => t.kubectl(args);
const json = async (...args: string[]) => JSON.parse((await kc(...args, '-o', 'json')).stdout);

const isLive = (p: any) =>
  !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
const isReady = (p: any) => (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

async function pods(selector = 'app=my-nginx'): Promise<any[]> {
  return (await json('get', 'pods', '-l', selector)).items;
}

async function rolledOut(name = 'my-nginx'): Promise<void> {
  await kc('rollout', 'status', `deployment/${name}`, '--timeout=30s');
}

/**
 * A pod watch of our own (engine CA and token) that tracks, after every event, how many pods are
 * live (not terminating) and how many of those are ready.
 */
async function recordPods(selector: string) {
  const get = (path: string, onData?: (chunk: string) => void) =>
    new Promise<any>((resolve, reject) => {
      const req = request(
        `${t.engine.url}${path}`,
        { ca: t.engine.caCert, headers: { Authorization: `Bearer ${t.engine.token}` } },
        (res) => {
          let body = '';
          if (onData) {
            resolve(req);
            res.on('data', (c) => onData(String(c)));
            return;
          }
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve(JSON.parse(body)));
        },
      );
      req.on('error', (e) => (onData ? undefined : reject(e)));
      req.end();
    });
  const sel = `labelSelector=${encodeURIComponent(selector)}`;
  const list = await get(`/api/v1/namespaces/default/pods?${sel}`);
  const state = new Map<string, any>(list.items.map((p: any) => [p.metadata.name, p]));
  const count = () => {
    const live = [...state.values()].filter(isLive);
    return { live: live.length, ready: live.filter(isReady).length };
  };
  const rec = { maxLive: count().live, minReady: count().ready, events: 0 };
  let buf = '';
  const req = await get(
    `/api/v1/namespaces/default/pods?watch=true&${sel}&resourceVersion=${list.metadata.resourceVersion}`,
    (chunk) => {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const ev = JSON.parse(buf.slice(0, i));
        buf = buf.slice(i + 1);
        rec.events++;
        if (ev.type === 'DELETED') state.delete(ev.object.metadata.name);
        else state.set(ev.object.metadata.name, ev.object);
        const c = count();
        rec.maxLive = Math.max(rec.maxLive, c.live);
        rec.minReady = Math.min(rec.minReady, c.ready);
      }
    },
  );
  return { rec, stop: () => req.destroy() };
}

describe('deployments with kubectl', () => {
  it('creates a deployment with one Ready pod named <deploy>-<hash>-<5>', async () => {
    expect((await kc('create', 'deployment', 'my-nginx', '--image=nginx')).stdout).toContain(
      'deployment.apps/my-nginx created',
    );
    await rolledOut();
    const ps = await pods();
    expect(ps).toHaveLength(1);
    expect(ps[0].metadata.name).toMatch(/^my-nginx-[a-z0-9]{8,10}-[a-z0-9]{5}$/);
    expect(isReady(ps[0])).toBe(true);
    expect((await kc('get', 'pods')).stdout).toMatch(/my-nginx-\S+\s+1\/1\s+Running/);
  });

  it('scales to 3 across both workers and back to 1', async () => {
    await kc('scale', 'deployment', 'my-nginx', '--replicas=3');
    await rolledOut();
    const ps = await pods();
    expect(ps).toHaveLength(3);
    expect(new Set(ps.map((p) => p.spec.nodeName))).toEqual(new Set(['node1', 'node2']));

    await kc('scale', 'deployment', 'my-nginx', '--replicas=1');
    // Two pods terminate (visible as Terminating or already gone); one stays.
    await waitFor(async () => (await pods()).filter(isLive).length === 1, 20_000, 'scale down to 1');
    await waitFor(async () => (await pods()).length === 1, 20_000, 'terminated pods gone');
  });

  it('rolls out a new image within 25% surge / 25% unavailable', async () => {
    await kc('scale', 'deployment', 'my-nginx', '--replicas=4');
    await rolledOut();
    const oldRS = (await json('get', 'rs', '-l', 'app=my-nginx')).items[0].metadata.name;
    const { rec, stop } = await recordPods('app=my-nginx');
    await kc('set', 'image', 'deployment/my-nginx', 'nginx=nginx:1.9.1', '--record');
    await rolledOut();
    await waitFor(async () => (await pods()).length === 4, 20_000, 'old pods gone');
    stop();
    expect(rec.events).toBeGreaterThan(8);
    expect(rec.maxLive).toBeLessThanOrEqual(5);
    expect(rec.minReady).toBeGreaterThanOrEqual(3);
    const ps = await pods();
    expect(ps.every((p) => p.spec.containers[0].image === 'nginx:1.9.1' && isReady(p))).toBe(true);
    const sets = (await json('get', 'rs', '-l', 'app=my-nginx')).items;
    expect(sets).toHaveLength(2);
    expect(sets.find((s: any) => s.metadata.name === oldRS).spec.replicas).toBe(0);
  });

  it('gets stuck on a bad image without losing availability, then exceeds its deadline', async () => {
    await kc('patch', 'deployment', 'my-nginx', '-p', '{"spec":{"progressDeadlineSeconds":10}}');
    await kc('set', 'image', 'deployment/my-nginx', 'nginx=nginx:abc');
    await waitFor(
      async () => {
        const bad = (await pods()).filter((p) => p.spec.containers[0].image === 'nginx:abc');
        return (
          bad.length > 0 &&
          bad.every((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff')
        );
      },
      20_000,
      'ImagePullBackOff',
    );
    // The status alternates between ErrImagePull and ImagePullBackOff as the back-off grows.
    await waitFor(
      async () => (await kc('get', 'pods')).stdout.includes('ImagePullBackOff'),
      20_000,
      'ImagePullBackOff in get pods',
    );
    const status = await t.kubectl(['rollout', 'status', 'deployment/my-nginx', '--timeout=2s'], { reject: false });
    expect(status.exitCode).not.toBe(0);
    expect(status.stdout).not.toContain('successfully rolled out');
    const d = await waitFor(
      async () => {
        const d = await json('get', 'deployment', 'my-nginx');
        const c = d.status.conditions.find((c: any) => c.type === 'Progressing');
        return c.reason === 'ProgressDeadlineExceeded' && d;
      },
      20_000,
      'ProgressDeadlineExceeded',
    );
    expect(d.status.availableReplicas).toBeGreaterThanOrEqual(3);
    expect((await pods()).filter((p) => isLive(p) && isReady(p)).length).toBeGreaterThanOrEqual(3);
    const after = await t.kubectl(['rollout', 'status', 'deployment/my-nginx', '--timeout=10s'], { reject: false });
    expect(after.exitCode).not.toBe(0);
    expect(after.stderr).toContain('exceeded its progress deadline');
    await kc('patch', 'deployment', 'my-nginx', '-p', '{"spec":{"progressDeadlineSeconds":600}}');
  });

  it('lists the rollout history with change causes and shows a revision', async () => {
    const history = (await kc('rollout', 'history', 'deployment/my-nginx')).stdout;
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE/);
    expect(history).toMatch(/^1\s+<none>$/m);
    expect(history).toMatch(/^2\s+kubectl set image deployment\/my-nginx nginx=nginx:1.9.1 --record=true$/m);
    // kubectl records only with --record; the deployment's change-cause is copied to later revisions.
    expect(history).toMatch(/^3\s+kubectl set image deployment\/my-nginx nginx=nginx:1.9.1 --record=true$/m);
    const rev2 = (await kc('rollout', 'history', 'deployment/my-nginx', '--revision=2')).stdout;
    expect(rev2).toContain('deployment.apps/my-nginx with revision #2');
    expect(rev2).toContain('Pod Template:');
    expect(rev2).toMatch(/Image:\s+nginx:1\.9\.1/);
  });

  it('undoes to the previous revision and to revision 1', async () => {
    expect((await kc('rollout', 'undo', 'deployment/my-nginx')).stdout).toContain(
      'deployment.apps/my-nginx rolled back',
    );
    await rolledOut();
    let d = await json('get', 'deployment', 'my-nginx');
    expect(d.spec.template.spec.containers[0].image).toBe('nginx:1.9.1');
    await waitFor(async () => (await pods()).length === 4, 20_000, 'bad pods gone');
    expect((await pods()).every((p) => p.spec.containers[0].image === 'nginx:1.9.1')).toBe(true);

    await kc('rollout', 'undo', 'deployment/my-nginx', '--to-revision=1');
    await rolledOut();
    d = await json('get', 'deployment', 'my-nginx');
    expect(d.spec.template.spec.containers[0].image).toBe('nginx');
    expect(d.status).toMatchObject({ replicas: 4, updatedReplicas: 4, availableReplicas: 4 });
    const history = (await kc('rollout', 'history', 'deployment/my-nginx')).stdout;
    // Rolled-back revisions move to the end: 3 (abc), 4 (1.9.1, was 2), 5 (nginx, was 1).
    expect(
      history
        .trim()
        .split('\n')
        .slice(2)
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual(['3', '4', '5']);
  });

  it('describes the deployment', async () => {
    const out = (await kc('describe', 'deployment', 'my-nginx')).stdout;
    expect(out).toMatch(/StrategyType:\s+RollingUpdate/);
    expect(out).toContain('RollingUpdateStrategy:  25% max unavailable, 25% max surge');
    expect(out).toMatch(/OldReplicaSets:\s+my-nginx-\S+ \(0\/0 replicas created\)/);
    expect(out).toMatch(/NewReplicaSet:\s+my-nginx-\S+ \(4\/4 replicas created\)/);
    expect(out).toMatch(
      /Normal\s+ScalingReplicaSet\s+.*deployment-controller\s+Scaled (up|down) replica set my-nginx-\S+ to \d/,
    );
  });

  it('deletes the deployment with its ReplicaSets and pods', async () => {
    expect((await kc('delete', 'deployment', 'my-nginx')).stdout).toContain('deployment.apps "my-nginx" deleted');
    await waitFor(
      async () => (await json('get', 'rs', '-l', 'app=my-nginx')).items.length === 0,
      20_000,
      'ReplicaSets deleted',
    );
    await waitFor(async () => (await pods()).length === 0, 20_000, 'pods deleted');
  });
});
