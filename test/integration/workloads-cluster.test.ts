import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

// The cluster around the workloads: kube-system, cordon/uncordon and drain with the real kubectl.

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => t?.stop());

const kc = (...args: string[]) => t.kubectl(args);
const isLive = (p: any) =>
  !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

async function livePods(args: string[]): Promise<any[]> {
  return JSON.parse((await kc('get', 'pods', ...args, '-o', 'json')).stdout).items.filter(isLive);
}

const nodesOf = (pods: any[]) => new Set(pods.map((p) => p.spec.nodeName));

describe('the cluster with kubectl', () => {
  it('runs coredns (2/2) and kube-proxy on every node in kube-system', async () => {
    await waitFor(
      async () => /coredns\s+2\/2\s+2\s+2/.test((await kc('get', 'deployments', '-n', 'kube-system')).stdout),
      20_000,
      'coredns 2/2',
    );
    const all = await waitFor(
      async () => {
        const out = (await kc('get', 'pods', '-A', '-o', 'wide')).stdout;
        const proxies = out.split('\n').filter((l) => /^kube-system\s+kube-proxy-[a-z0-9]{5}\s+1\/1\s+Running/.test(l));
        return proxies.length === 3 && out;
      },
      20_000,
      'kube-proxy on 3 nodes',
    );
    for (const node of ['master', 'node1', 'node2'])
      expect(all).toMatch(new RegExp(`kube-proxy-\\S+\\s+1/1\\s+Running.*\\s${node}\\s`));
    expect(nodesOf(await livePods(['-n', 'kube-system', '-l', 'k8s-app=kube-proxy']))).toEqual(
      new Set(['master', 'node1', 'node2']),
    );
  });

  it('keeps new pods off a cordoned node and uses it again after uncordon', async () => {
    expect((await kc('cordon', 'node1')).stdout).toContain('node/node1 cordoned');
    expect((await kc('get', 'nodes')).stdout).toMatch(/node1\s+Ready,SchedulingDisabled/);
    await kc('create', 'deployment', 'web', '--image=nginx', '--replicas=4');
    await kc('rollout', 'status', 'deployment/web', '--timeout=30s');
    expect(nodesOf(await livePods(['-l', 'app=web']))).toEqual(new Set(['node2']));

    expect((await kc('uncordon', 'node1')).stdout).toContain('node/node1 uncordoned');
    expect((await kc('get', 'nodes')).stdout).toMatch(/node1\s+Ready\s/);
    await kc('scale', 'deployment', 'web', '--replicas=8');
    await kc('rollout', 'status', 'deployment/web', '--timeout=30s');
    expect(nodesOf(await livePods(['-l', 'app=web']))).toEqual(new Set(['node1', 'node2']));
  });

  it('drains a node (ignoring daemonsets) and its pods come back elsewhere', async () => {
    const r = await t.kubectl(['drain', 'node2', '--ignore-daemonsets', '--timeout=30s']);
    expect(r.stdout).toContain('node/node2 cordoned');
    expect(r.stderr).toMatch(/Warning: ignoring DaemonSet-managed Pods: kube-system\/kube-proxy-/);
    expect(r.stdout).toMatch(/pod\/web-\S+ evicted/);
    expect(r.stdout).toContain('node/node2 drained');
    await kc('rollout', 'status', 'deployment/web', '--timeout=30s');
    await kc('rollout', 'status', 'deployment/coredns', '-n', 'kube-system', '--timeout=30s');
    const web = await livePods(['-l', 'app=web']);
    expect(web).toHaveLength(8);
    expect(nodesOf(web)).toEqual(new Set(['node1']));
    // CoreDNS tolerates the control-plane taint (as kubeadm's does), so master may take one.
    expect(nodesOf(await livePods(['-n', 'kube-system', '-l', 'k8s-app=kube-dns']))).not.toContain('node2');
    // The DaemonSet pod stays.
    expect(nodesOf(await livePods(['-n', 'kube-system', '-l', 'k8s-app=kube-proxy']))).toContain('node2');
    await kc('uncordon', 'node2');
    await kc('delete', 'deployment', 'web');
  });
});
