import { execa } from 'execa';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlePortForward } from '../../source/engine/kubelet/streams/portforward.ts';
import { ensureKubernetesService } from '../../source/engine/services/kubernetes-service.ts';
import { backend, closeAll, count, fetchBody, ownListeningSockets } from '../engine/proxy/helpers.ts';
import { KUBECTL, startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';
import { acquireHostLock } from '../helpers/host-lock.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');
// Pods bound to a node no kubelet runs, given a status by the test: real HTTP servers on their IPs.
const GHOST_NODE = 'skiff-test-ghost';

let t: TestEngine;
const servers: Server[] = [];
let release: () => void = () => {};

beforeAll(async () => {
  release = await acquireHostLock('nodeport-32600');
  t = await startTestEngine();
  const ctx = t.engine.ctx;
  const kubelet = ctx.podIO;
  ctx.podIO = {
    log: (...a) => kubelet!.log(...a),
    upgrade: (kind, pod, query, req, socket, head) =>
      kind === 'portforward'
        ? handlePortForward(pod, query, req, socket, head)
        : kubelet?.upgrade(kind, pod, query, req, socket, head),
  };
});
afterAll(async () => {
  await closeAll(servers);
  await t?.stop();
  release();
});

async function fakePod(name: string, ip: string, labels: Record<string, string>): Promise<void> {
  servers.push(await backend(name, ip, 80));
  const store = t.engine.ctx.store;
  store.create('pods', {
    metadata: { name, namespace: 'default', labels },
    spec: {
      nodeName: GHOST_NODE,
      containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80, name: 'http' }] }],
    },
  });
  store.mutate(
    'pods',
    'default',
    name,
    (p) => {
      p.status = {
        ...p.status,
        phase: 'Running',
        podIP: ip,
        podIPs: [{ ip }],
        conditions: [{ type: 'Ready', status: 'True' }],
      };
    },
    { subresource: 'status' },
  );
}

const json = async (args: string[]) => JSON.parse((await t.kubectl([...args, '-o', 'json'])).stdout);
const curl = async (url: string) => (await execa('curl', ['-s', '-m', '5', url])).stdout;

describe('services with kubectl', () => {
  it('exposes pods on a ClusterIP that answers, round robin', async () => {
    for (const [i, ip] of ['127.244.1.31', '127.244.1.32', '127.244.2.33'].entries())
      await fakePod(`my-nginx-${i}`, ip, { app: 'my-nginx' });
    expect(
      (
        await t.kubectl([
          'expose',
          'pod',
          'my-nginx-0',
          '--name=my-nginx',
          '--port=81',
          '--target-port=80',
          '--type=ClusterIP',
        ])
      ).stdout,
    ).toContain('service/my-nginx exposed');
    const svc = await json(['get', 'svc', 'my-nginx']);
    const prefix = t.engine.ctx.config.serviceCIDR.replace(/\.0\.0\/16$/, '.');
    expect(svc.spec.clusterIP.startsWith(prefix)).toBe(true);
    expect(svc.spec.clusterIPs).toEqual([svc.spec.clusterIP]);
    const ip = svc.spec.clusterIP;
    expect(await waitFor(() => curl(`http://${ip}:81/`))).toMatch(/^my-nginx-\d$/);
    const counts = await count(ip, 81, 30);
    expect(Object.keys(counts).sort()).toEqual(['my-nginx-0', 'my-nginx-1', 'my-nginx-2']);
    for (const n of Object.values(counts)) expect(Math.abs(n - 10)).toBeLessThanOrEqual(1);
    expect((await t.kubectl(['get', 'svc', 'my-nginx'])).stdout).toMatch(
      new RegExp(`my-nginx\\s+ClusterIP\\s+${ip.replace(/\./g, '\\.')}\\s+<none>\\s+81/TCP`),
    );
  });

  it('shows the endpoints in get and describe', async () => {
    const eps = (await t.kubectl(['get', 'endpoints', 'my-nginx'])).stdout;
    expect(eps).toMatch(/my-nginx\s+127\.244\.1\.31:80,127\.244\.1\.32:80,127\.244\.2\.33:80/);
    const slices = (await t.kubectl(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=my-nginx'])).stdout;
    expect(slices).toMatch(/my-nginx-\w{5}\s+IPv4\s+80\s+127\.244\.1\.31,127\.244\.1\.32,127\.244\.2\.33/);
    const describe = (await t.kubectl(['describe', 'service', 'my-nginx'])).stdout;
    expect(describe).toMatch(/Endpoints:\s+127\.244\.1\.31:80,127\.244\.1\.32:80,127\.244\.2\.33:80/);
    expect(describe).toMatch(/TargetPort:\s+80\/TCP/);
  });

  // How fast the proxy follows is a benchmark's figure; here: that it does, both ways.
  it('follows scaling: a new pod gets traffic, removed ones none', async () => {
    const ip = (await json(['get', 'svc', 'my-nginx'])).spec.clusterIP;
    await fakePod('my-nginx-3', '127.244.2.34', { app: 'my-nginx' });
    await waitFor(async () => (await count(ip, 81, 4))['my-nginx-3'], 30_000, 'my-nginx-3 to get traffic');
    await t.kubectl(['delete', 'pod', 'my-nginx-3', 'my-nginx-2', '--grace-period=0', '--force']);
    const remaining = (c: Record<string, number>) => Object.keys(c).sort().join(',') === 'my-nginx-0,my-nginx-1';
    await waitFor(async () => remaining(await count(ip, 81, 6)), 30_000, 'traffic to the remaining pods only');
    const after = await count(ip, 81, 12);
    expect(Object.keys(after).sort()).toEqual(['my-nginx-0', 'my-nginx-1']);
  });

  it('allocates a NodePort that answers on every node IP and 127.0.0.1', async () => {
    await t.kubectl(['expose', 'pod', 'my-nginx-0', '--name=my-nginx-np', '--port=80', '--type=NodePort']);
    const svc = await json(['get', 'svc', 'my-nginx-np']);
    const port = svc.spec.ports[0].nodePort;
    expect(port).toBeGreaterThanOrEqual(30000);
    expect(port).toBeLessThanOrEqual(32767);
    for (const host of ['127.0.0.1', '127.0.1.1', '127.0.1.2', '127.0.1.3']) {
      expect(await waitFor(() => curl(`http://${host}:${port}/`))).toMatch(/^my-nginx-\d$/);
    }
    expect((await t.kubectl(['get', 'svc', 'my-nginx-np'])).stdout).toMatch(new RegExp(`80:${port}/TCP`));
  });

  it("serves the tutorial's expose.yaml on 32600 and refuses the port twice", async () => {
    await fakePod('nginx-a', '127.244.1.40', { app: 'nginx' });
    expect((await t.kubectl(['apply', '-f', join(FIXTURES, 'expose.yaml')])).stdout).toContain(
      'service/nginx-service created',
    );
    expect(await waitFor(() => curl('http://127.0.1.2:32600/'))).toBe('nginx-a');
    expect(await curl('http://127.0.0.1:32600/')).toBe('nginx-a');
    const dup = await t.kubectl(['create', 'service', 'nodeport', 'dup', '--tcp=80:80', '--node-port=32600'], {
      reject: false,
    });
    expect(dup.exitCode).not.toBe(0);
    expect(dup.stderr).toContain('spec.ports[0].nodePort: Invalid value: 32600: provided port is already allocated');
    const describe = (await t.kubectl(['describe', 'svc', 'nginx-service'])).stdout;
    expect(describe).toMatch(/NodePort:\s+nginx-port\s+32600\/TCP/);
    expect(describe).toMatch(/Endpoints:\s+127\.244\.1\.40:80/);
  });

  it('port-forwards to a pod and to a service', async () => {
    for (const [target, local] of [
      ['pod/my-nginx-1', 18581],
      ['svc/my-nginx', 18582],
    ] as const) {
      const remote = target.startsWith('svc') ? 81 : 80;
      const pf = execa(KUBECTL, ['port-forward', target, `${local}:${remote}`], {
        env: { HOME: t.kubeHome, KUBECONFIG: t.engine.kubeconfigPath, PATH: process.env.PATH },
        extendEnv: false,
        reject: false,
      });
      try {
        const body = await waitFor(() => fetchBody('127.0.0.1', local), 15_000, `port-forward ${target}`);
        expect(body).toMatch(/^my-nginx-\d$/);
        expect(await fetchBody('127.0.0.1', local)).toMatch(/^my-nginx-\d$/);
      } finally {
        pf.kill();
        await pf;
      }
    }
  });

  it('serves default/kubernetes on .1:443 to the API server', async () => {
    ensureKubernetesService(t.engine.ctx.store, t.engine.ctx.config, t.engine.port);
    const svc = await json(['get', 'svc', 'kubernetes']);
    // The test engine's service CIDR is 127.N.0.0/16; the first address belongs to `kubernetes`.
    const first = t.engine.ctx.config.serviceCIDR.replace(/\.0\.0\/16$/, '.0.1');
    expect(svc.spec.clusterIP).toBe(first);
    const out = await waitFor(
      () => execa('curl', ['-sk', '-m', '5', `https://${first}:443/livez`]).then((r) => r.stdout),
      5000,
    );
    expect(out).toBe('ok');
  });

  it('listens only on 127.0.0.0/8', () => {
    const sockets = ownListeningSockets();
    expect(sockets).toContain(`127.0.0.1:32600`);
    for (const s of sockets) expect(s, s).toMatch(/^(::ffff:)?127\.\d+\.\d+\.\d+:\d+$/);
  });
});
