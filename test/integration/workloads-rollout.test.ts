import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

// Rollout controls beyond the tutorial (pause/resume, restart, Recreate) and a pod that fits nowhere.

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => t?.stop());

const kc = (...args: string[]) => t.kubectl(args);
const json = async (...args: string[]) => JSON.parse((await kc(...args, '-o', 'json')).stdout);
const sets = async (app: string) => (await json('get', 'rs', '-l', `app=${app}`)).items as any[];
const images = async (app: string) =>
  new Set((await json('get', 'pods', '-l', `app=${app}`)).items.map((p: any) => p.spec.containers[0].image));

describe('rollout controls with kubectl', () => {
  it('holds a paused rollout and carries it out on resume', async () => {
    await kc('create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2');
    await kc('rollout', 'status', 'deployment/web', '--timeout=30s');
    expect((await kc('rollout', 'pause', 'deployment/web')).stdout).toContain('deployment.apps/web paused');
    await kc('set', 'image', 'deployment/web', 'nginx=nginx:1.9.1');
    const paused = await waitFor(
      async () => {
        const d = await json('get', 'deployment', 'web');
        return d.status.observedGeneration === d.metadata.generation && d;
      },
      20_000,
      'paused deployment observed',
    );
    expect(paused.status.conditions.find((c: any) => c.type === 'Progressing').reason).toBe('DeploymentPaused');
    expect(await sets('web')).toHaveLength(1);
    expect(await images('web')).toEqual(new Set(['nginx:1.25']));

    expect((await kc('rollout', 'resume', 'deployment/web')).stdout).toContain('deployment.apps/web resumed');
    await kc('rollout', 'status', 'deployment/web', '--timeout=30s');
    await waitFor(
      async () => (await images('web')).size === 1 && (await images('web')).has('nginx:1.9.1'),
      20_000,
      'pods on nginx:1.9.1',
    );
  });

  it('restarts every pod with rollout restart', async () => {
    const before = new Set((await json('get', 'pods', '-l', 'app=web')).items.map((p: any) => p.metadata.name));
    expect((await kc('rollout', 'restart', 'deployment/web')).stdout).toContain('deployment.apps/web restarted');
    await kc('rollout', 'status', 'deployment/web', '--timeout=30s');
    const after = await waitFor(
      async () => {
        const ps = (await json('get', 'pods', '-l', 'app=web')).items;
        return ps.length === 2 && ps;
      },
      20_000,
      'old pods gone',
    );
    expect(after.some((p: any) => before.has(p.metadata.name))).toBe(false);
    expect(after[0].metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBeTruthy();
    expect(await sets('web')).toHaveLength(3);
  });

  it('replaces all pods at once with the Recreate strategy', async () => {
    // A deployment of its own: `web` has had ten scaling events by now, and like upstream's event
    // correlator the engine then combines similar events into one that shows only the latest message.
    await kc('create', 'deployment', 'rec', '--image=nginx:1.9.1', '--replicas=2');
    await kc('rollout', 'status', 'deployment/rec', '--timeout=30s');
    await kc('patch', 'deployment', 'rec', '-p', '{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}');
    await kc('set', 'image', 'deployment/rec', 'nginx=nginx:1.25');
    await kc('rollout', 'status', 'deployment/rec', '--timeout=30s');
    expect(await images('rec')).toEqual(new Set(['nginx:1.25']));
    const out = (await kc('describe', 'deployment', 'rec')).stdout;
    expect(out).toMatch(/StrategyType:\s+Recreate/);
    expect(out).not.toContain('RollingUpdateStrategy');
    expect(out).toMatch(/Scaled down replica set rec-\S+ to 0 from 2/);
  });

  it('reports a pod that fits nowhere and schedules it once a node matches', async () => {
    await kc('run', 'picky', '--image=nginx', '--overrides={"spec":{"nodeSelector":{"disk":"ssd"}}}');
    const events = await waitFor(
      async () => {
        const out = (await kc('get', 'events', '--field-selector', 'involvedObject.name=picky,reason=FailedScheduling'))
          .stdout;
        return out.includes('FailedScheduling') && out;
      },
      20_000,
      'FailedScheduling',
    );
    expect(events).toContain(
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    expect((await kc('get', 'pod', 'picky')).stdout).toMatch(/picky\s+0\/1\s+Pending/);
    await kc('label', 'node', 'node2', 'disk=ssd');
    await kc('wait', '--for=condition=Ready', 'pod/picky', '--timeout=30s');
    expect((await json('get', 'pod', 'picky')).spec.nodeName).toBe('node2');
  });
});
