// The "Connecting Applications with Services" tutorial with real pods: the kubelet runs the
// built-in nginx, bodies are written with `kubectl exec`, traffic goes through the engine's proxy.
import { execa } from 'execa';
import { get } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KObject } from '../../source/api-types/index.ts';
import { PORT_MAP_ANNOTATION } from '../../source/engine/proxy/targets.ts';
import { backend, closeAll, ownListeningSockets } from '../engine/proxy/helpers.ts';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';
import { acquireHostLock } from '../helpers/host-lock.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');
const WELCOME = /Welcome to nginx!/;

let t: TestEngine;
/** When each pod (by name) was first seen Ready, and marked for deletion, in the store. */
const readyAt = new Map<string, number>();
const deletedAt = new Map<string, number>();

beforeAll(async () => {
  t = await startTestEngine();
  t.engine.ctx.store.watch('pods', {}, (ev) => {
    const ready = (ev.object.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
    const name = ev.object.metadata.name!;
    if (ready && !readyAt.has(name)) readyAt.set(name, Date.now());
    if (ev.object.metadata.deletionTimestamp && !deletedAt.has(name)) deletedAt.set(name, Date.now());
  });
});
afterAll(async () => {
  await t?.stop();
});

/** GET / on a new connection; anything but a whole 200 response rejects. */
function fetchBody(host: string, port: number, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get({ host, port, path: '/', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () =>
        res.statusCode === 200 ? resolve(body.trim()) : reject(new Error(`HTTP ${res.statusCode}: ${body}`)),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
  });
}

async function count(host: string, port: number, n: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const b = await fetchBody(host, port);
    out[b] = (out[b] ?? 0) + 1;
  }
  return out;
}

/** Requests at a steady rate (a new connection each) until stopped; every outcome is kept. */
function load(host: string, port: number, perSecond: number) {
  const results: Array<{ at: number; body?: string; error?: string }> = [];
  const inflight = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const at = Date.now();
    const p = fetchBody(host, port).then(
      (body) => void results.push({ at, body }),
      (e: Error) => void results.push({ at, error: e.message }),
    );
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  }, 1000 / perSecond);
  return {
    results,
    async stop() {
      clearInterval(timer);
      await Promise.all(inflight);
      return results;
    },
  };
}

const json = async (args: string[]) => JSON.parse((await t.kubectl([...args, '-o', 'json'])).stdout);
const isReady = (p: KObject) =>
  (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

/** The pods of a deployment that are Ready and not terminating, once there are `n` of them. */
async function readyPods(app: string, n: number, timeoutMs = 20_000): Promise<KObject[]> {
  return waitFor(
    async () => {
      const pods = (await json(['get', 'pods', '-l', `app=${app}`])).items.filter(
        (p: KObject) => !p.metadata.deletionTimestamp,
      );
      return pods.length === n && pods.every(isReady) ? (pods as KObject[]) : undefined;
    },
    timeoutMs,
    `${n} ready ${app} pods`,
  );
}

const writeBody = (pod: string) =>
  t.kubectl(['exec', pod, '--', 'sh', '-c', `echo ${pod} > /usr/share/nginx/html/index.html`]);

/** Where a ClusterIP port answers: the port itself as root, else the proxy's documented mapping. */
function clusterAddress(svc: KObject, port: number): [string, number] {
  const mapped = JSON.parse(svc.metadata.annotations?.[PORT_MAP_ANNOTATION] ?? '{}')[String(port)];
  if (!mapped) return [svc.spec.clusterIP, port];
  const i = mapped.lastIndexOf(':');
  return [mapped.slice(0, i), Number(mapped.slice(i + 1))];
}

/** The first nginx access line of a pod's log, as a time (kubectl logs --timestamps). */
async function firstRequestAt(pod: string): Promise<number | undefined> {
  const out = (await t.kubectl(['logs', pod, '--timestamps'])).stdout;
  const line = out.split('\n').find((l) => l.includes('"GET / HTTP/1.1"'));
  return line ? Date.parse(line.split(' ')[0]!) : undefined;
}

describe('the services tutorial with real pods', () => {
  let clusterIP = '';
  let nodePort = 0;

  it('exposes a deployment on a ClusterIP that serves the nginx page', async () => {
    await t.kubectl(['create', 'deployment', 'my-nginx', '--image=nginx']);
    expect(
      (await t.kubectl(['expose', 'deployment', 'my-nginx', '--port=81', '--target-port=80', '--type=ClusterIP']))
        .stdout,
    ).toContain('service/my-nginx exposed');
    await readyPods('my-nginx', 1);
    const svc = await json(['get', 'svc', 'my-nginx']);
    clusterIP = svc.spec.clusterIP;
    // 127.96.0.0/16 by default; a test engine has its own /16 so parallel engines never clash.
    expect(clusterIP.startsWith(t.engine.ctx.config.serviceCIDR.replace(/\.0\.0\/16$/, '.'))).toBe(true);
    if (process.getuid?.() === 0) expect(clusterAddress(svc, 81)).toEqual([clusterIP, 81]);
    // Without root the proxy maps port 81 and says where in an annotation, once it listens.
    const body = await waitFor(
      async () => fetchBody(...clusterAddress(await json(['get', 'svc', 'my-nginx']), 81)),
      5000,
      'the ClusterIP',
    );
    expect(body).toMatch(WELCOME);
  });

  it('exposes it as a NodePort on 127.0.0.1 and the node IPs', async () => {
    await t.kubectl(['expose', 'deployment', 'my-nginx', '--name=my-nginx-np', '--port=80', '--type=NodePort']);
    nodePort = (await json(['get', 'svc', 'my-nginx-np'])).spec.ports[0].nodePort;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    expect(nodePort).toBeLessThanOrEqual(32767);
    for (const host of ['127.0.0.1', '127.0.1.2'])
      expect(await waitFor(() => fetchBody(host, nodePort), 5000, host)).toMatch(WELCOME);
  });

  it("serves the tutorial's expose.yaml and deployment.yaml on 32600", async () => {
    const out = (
      await t.kubectl(['apply', '-f', join(FIXTURES, 'expose.yaml'), '-f', join(FIXTURES, 'deployment.yaml')])
    ).stdout;
    expect(out).toContain('service/nginx-service created');
    expect(out).toContain('deployment.apps/nginx-deployment created');
    const [pod] = await readyPods('nginx', 1);
    expect(pod!.spec.containers[0].image).toBe('nginx:1.7.9');
    await writeBody(pod!.metadata.name!);
    // 32600 is fixed: other test files take the same lock; our proxy retries the bind meanwhile.
    const release = await acquireHostLock('nodeport-32600');
    try {
      const hosts = ['127.0.1.2', '127.0.0.1'];
      try {
        await waitFor(() => hosts.every((h) => ownListeningSockets().includes(`${h}:32600`)), 10_000);
      } catch {
        const holders = (await execa('ss', ['-tlnpH', 'sport = :32600'], { reject: false })).stdout;
        throw new Error(`our proxy never got 32600; another process holds it:\n${holders}`);
      }
      for (const host of hosts) expect(await fetchBody(host, 32600)).toBe(pod!.metadata.name);
    } finally {
      await t.kubectl(['delete', '-f', join(FIXTURES, 'expose.yaml'), '-f', join(FIXTURES, 'deployment.yaml')]);
      release();
    }
  });

  it('spreads new connections evenly over three pods with their own index.html', async () => {
    await t.kubectl(['scale', 'deployment', 'my-nginx', '--replicas=3']);
    const pods = await readyPods('my-nginx', 3);
    for (const p of pods) await writeBody(p.metadata.name!);
    const names = pods.map((p) => p.metadata.name!).sort();
    const [host, port] = clusterAddress(await json(['get', 'svc', 'my-nginx']), 81);
    const counts = await count(host, port, 30);
    expect(Object.keys(counts).sort()).toEqual(names);
    for (const n of Object.values(counts)) expect(Math.abs(n - 10)).toBeLessThanOrEqual(1);
  });

  it('sends traffic to new pods within a second of being Ready, none to removed ones', async () => {
    const before = new Set((await readyPods('my-nginx', 3)).map((p) => p.metadata.name!));
    let traffic = load('127.0.0.1', nodePort, 50);
    await t.kubectl(['scale', 'deployment', 'my-nginx', '--replicas=5']);
    const pods = await readyPods('my-nginx', 5);
    const added = pods.map((p) => p.metadata.name!).filter((n) => !before.has(n));
    expect(added).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 200));
    // Stopped before writing bodies: a file rewritten while nginx sends it arrives cut short.
    expect((await traffic.stop()).filter((r) => r.error)).toEqual([]);
    for (const n of added) await writeBody(n);
    for (const n of added) {
      const first = await firstRequestAt(n);
      expect(first, `${n} got no request`).toBeDefined();
      expect(first! - readyAt.get(n)!, `${n}: first request after Ready`).toBeLessThan(1000);
    }
    const counts = await count('127.0.0.1', nodePort, 50);
    expect(Object.keys(counts).sort()).toEqual(pods.map((p) => p.metadata.name!).sort());
    for (const n of Object.values(counts)) expect(Math.abs(n - 10)).toBeLessThanOrEqual(1);

    traffic = load('127.0.0.1', nodePort, 50);
    await t.kubectl(['scale', 'deployment', 'my-nginx', '--replicas=2']);
    const kept = (await readyPods('my-nginx', 2)).map((p) => p.metadata.name!).sort();
    await new Promise((r) => setTimeout(r, 300));
    const results = await traffic.stop();
    expect(results.filter((r) => r.error)).toEqual([]);
    // A request started after its pod was marked for deletion never reaches that pod.
    const late = results.filter((r) => deletedAt.has(r.body!) && r.at > deletedAt.get(r.body!)!);
    expect(late).toEqual([]);
    expect(await count('127.0.0.1', nodePort, 20)).toEqual(Object.fromEntries(kept.map((n) => [n, 10])));
  });

  it('loses no request during a rolling update under 20 requests/s', async () => {
    await t.kubectl(['scale', 'deployment', 'my-nginx', '--replicas=4']);
    const old = new Set((await readyPods('my-nginx', 4)).map((p) => p.metadata.name!));
    const traffic = load('127.0.0.1', nodePort, 20);
    await new Promise((r) => setTimeout(r, 500));
    await t.kubectl(['set', 'image', 'deployment', 'my-nginx', 'nginx=nginx:1.9.1']);
    const status = await t.kubectl(['rollout', 'status', 'deployment', 'my-nginx', '--timeout=30s']);
    expect(status.stdout).toContain('successfully rolled out');
    await new Promise((r) => setTimeout(r, 500));
    const results = await traffic.stop();
    expect(results.length).toBeGreaterThan(20);
    expect(results.filter((r) => r.error)).toEqual([]);
    for (const p of await readyPods('my-nginx', 4)) {
      expect(old.has(p.metadata.name!)).toBe(false);
      expect(p.spec.containers[0].image).toBe('nginx:1.9.1');
    }
    // Old pods answered with their bodies or the default page, the new ones with the default page.
    expect(results.at(-1)!.body).toMatch(WELCOME);
  });

  it('sends no new connection to a pod marked for deletion, even before its EndpointSlice says so', async () => {
    // Pods on a node no kubelet runs (they stay terminating, still serving) behind a service
    // without selector whose EndpointSlice is written by hand: nothing updates it.
    const store = t.engine.ctx.store;
    const pods = [
      ['stays', '127.243.77.1'],
      ['leaves', '127.243.77.2'],
    ] as const;
    const servers = await Promise.all(pods.map(([name, ip]) => backend(name, ip, 8080)));
    try {
      for (const [name, ip] of pods) {
        store.create('pods', {
          metadata: { name, namespace: 'default' },
          spec: { nodeName: 'skiff-test-ghost', containers: [{ name: 'c', image: 'nginx' }] },
        });
        store.mutate(
          'pods',
          'default',
          name,
          (p) => void (p.status = { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] }),
          { subresource: 'status' },
        );
      }
      store.create('services', {
        metadata: { name: 'by-hand', namespace: 'default' },
        spec: { ports: [{ port: 80, targetPort: 8080 }] },
      });
      store.create('endpointslices.discovery.k8s.io', {
        metadata: { name: 'by-hand-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'by-hand' } },
        addressType: 'IPv4',
        ports: [{ name: '', port: 8080, protocol: 'TCP' }],
        endpoints: pods.map(([name, ip]) => ({
          addresses: [ip],
          conditions: { ready: true },
          targetRef: { kind: 'Pod', namespace: 'default', name },
        })),
      });
      const address = () => clusterAddress(store.get('services', 'default', 'by-hand')!, 80);
      expect(await waitFor(() => count(...address(), 4), 5000, 'the hand-made service')).toEqual({
        stays: 2,
        leaves: 2,
      });
      store.delete('pods', 'default', 'leaves', { gracePeriodSeconds: 30 });
      expect(await count(...address(), 6)).toEqual({ stays: 6 });
    } finally {
      await closeAll(servers);
    }
  });

  it('shows the endpoints in describe service and get endpoints,endpointslices', async () => {
    const pods = await readyPods('my-nginx', 4);
    const ips = pods.map((p) => p.status.podIP as string).sort(compareIP);
    const describe = (await t.kubectl(['describe', 'service', 'my-nginx'])).stdout;
    expect(describe).toMatch(new RegExp(`IP:\\s+${clusterIP.replace(/\./g, '\\.')}`));
    expect(describe).toMatch(/Port:\s+<unset>\s+81\/TCP/);
    expect(describe).toMatch(/TargetPort:\s+80\/TCP/);
    // kubectl shows three endpoints and counts the rest.
    const shown = (list: string[]) => `${list.slice(0, 3).join(',')} + 1 more...`.replace(/[.+]/g, '\\$&');
    const withPort = ips.map((ip) => `${ip}:80`);
    expect(describe).toMatch(new RegExp(`Endpoints:\\s+${shown(withPort)}\n`));
    const out = (await t.kubectl(['get', 'endpoints,endpointslices', '-l', 'app=my-nginx'])).stdout;
    expect(out).toMatch(new RegExp(`endpoints/my-nginx\\s+${shown(withPort)}`));
    expect(out).toMatch(
      new RegExp(`endpointslice\\.discovery\\.k8s\\.io/my-nginx-\\w{5}\\s+IPv4\\s+80\\s+${shown(ips)}`),
    );
  });
});

function compareIP(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}
