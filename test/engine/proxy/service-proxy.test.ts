import type { Server } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Component } from '../../../source/engine/context.ts';
import { endpointSlicesController } from '../../../source/engine/controllers/endpointslices.ts';
import { assertLoopback } from '../../../source/engine/net/loopback.ts';
import { ServiceProxy } from '../../../source/engine/proxy/service-proxy.ts';
import { runPod, setPodStatus, testContext } from '../controllers/endpoints-helpers.ts';
import { backend, closeAll, count, fetchBody, ownListeningSockets, waitFor } from './helpers.ts';

const running: Component[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const c of running.splice(0)) await c.stop();
  await closeAll(servers.splice(0));
});

async function setup(opts: { mapLowPorts?: boolean } = {}) {
  const ctx = testContext();
  const slices = endpointSlicesController();
  const proxy = new ServiceProxy(opts);
  slices.start(ctx);
  proxy.start(ctx);
  running.push(slices, proxy);
  return { ctx, proxy };
}

type Ctx = Awaited<ReturnType<typeof setup>>;

async function pod({ ctx }: Ctx, name: string, ip: string, ready = true) {
  servers.push(await backend(name, ip, 8080));
  runPod(ctx.store, name, { ip, ready, ports: [{ containerPort: 8080 }] });
}

function service({ ctx }: Ctx, spec: any = {}) {
  return ctx.store.create('services', {
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ port: 81, targetPort: 8080 }], ...spec },
  });
}

const refused = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host, port });
    s.on('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET'));
  });

describe('service proxy', () => {
  it('spreads new connections round robin on the ClusterIP and every NodePort address', async () => {
    const t = await setup();
    const svc = service(t, { type: 'NodePort' });
    await pod(t, 'a', '127.246.1.10');
    await pod(t, 'b', '127.246.1.11');
    await pod(t, 'c', '127.246.2.10');
    const ip = svc.spec.clusterIP;
    const nodePort = svc.spec.ports[0].nodePort;
    await waitFor(async () => (await fetchBody(ip, 81)).length > 0);
    const counts = await count(ip, 81, 30);
    expect(Object.keys(counts).sort()).toEqual(['a', 'b', 'c']);
    for (const n of Object.values(counts)) expect(Math.abs(n - 10)).toBeLessThanOrEqual(1);
    for (const host of ['127.0.0.1', '127.0.1.1', '127.0.1.2', '127.0.1.3']) {
      expect(Object.keys(await count(host, nodePort, 3)).sort()).toEqual(['a', 'b', 'c']);
    }
  });

  // How quickly is a benchmark's figure; here: that it follows, both ways (generous waits).
  it('follows scale up and down', async () => {
    const t = await setup();
    const ip = service(t).spec.clusterIP;
    await pod(t, 'a', '127.246.1.10');
    await pod(t, 'b', '127.246.1.11');
    await waitFor(async () => (await fetchBody(ip, 81)).length > 0, 30_000);
    await pod(t, 'c', '127.246.1.12');
    await waitFor(async () => (await count(ip, 81, 3)).c, 30_000);
    t.ctx.store.forceRemove('pods', 'default', 'a');
    t.ctx.store.forceRemove('pods', 'default', 'b');
    await waitFor(async () => Object.keys(await count(ip, 81, 4)).join() === 'c', 30_000);
    expect(await count(ip, 81, 10)).toEqual({ c: 10 });
  });

  it('refuses connections while a service has no endpoints', async () => {
    const t = await setup();
    const svc = service(t, { type: 'NodePort' });
    const ip = svc.spec.clusterIP;
    await t.proxy.settled();
    expect(await refused(ip, 81)).toBe(true);
    expect(await refused('127.0.0.1', svc.spec.ports[0].nodePort)).toBe(true);
    await pod(t, 'a', '127.246.1.10');
    expect(await waitFor(() => fetchBody(ip, 81))).toBe('a');
    setPodStatus(t.ctx.store, 'a', '127.246.1.10', false);
    await new Promise((r) => setTimeout(r, 50));
    await t.proxy.settled();
    expect(await refused(ip, 81)).toBe(true);
  });

  it('sends no new connections to a pod that is not ready or terminating', async () => {
    const t = await setup();
    const ip = service(t).spec.clusterIP;
    await pod(t, 'a', '127.246.1.10');
    await pod(t, 'b', '127.246.1.11');
    await pod(t, 'c', '127.246.1.12');
    await waitFor(async () => Object.keys(await count(ip, 81, 3)).length === 3);
    setPodStatus(t.ctx.store, 'b', '127.246.1.11', false);
    t.ctx.store.delete('pods', 'default', 'c'); // graceful: terminating, still serving
    await new Promise((r) => setTimeout(r, 50));
    expect(await count(ip, 81, 12)).toEqual({ a: 12 });
  });

  it('skips a backend that refuses and retries the next one', async () => {
    const t = await setup();
    const ip = service(t).spec.clusterIP;
    await pod(t, 'a', '127.246.1.10');
    runPod(t.ctx.store, 'dead', { ip: '127.246.1.11', ports: [{ containerPort: 8080 }] }); // nothing listens
    await waitFor(() => fetchBody(ip, 81));
    expect(await count(ip, 81, 6)).toEqual({ a: 6 });
  });

  it('dials the host port the kubelet mapped a container port to', async () => {
    const t = await setup();
    const ip = service(t).spec.clusterIP;
    const mapped = await backend('mapped', '127.0.0.1', 0);
    servers.push(mapped);
    const port = (mapped.address() as { port: number }).port;
    runPod(t.ctx.store, 'a', {
      ip: '127.246.1.10',
      ports: [{ containerPort: 8080 }],
      annotations: { 'skiff.dev/port-map': JSON.stringify({ 8080: `127.0.0.1:${port}` }) },
    });
    expect(await waitFor(() => fetchBody(ip, 81))).toBe('mapped');
  });

  it('maps privileged ClusterIP ports when it cannot bind them, and says where', async () => {
    const t = await setup({ mapLowPorts: true });
    const ip = service(t).spec.clusterIP;
    await pod(t, 'a', '127.246.1.10');
    const raw = await waitFor(
      () => t.ctx.store.get('services', 'default', 'web')!.metadata.annotations?.['skiff.dev/port-map'],
    );
    const map = JSON.parse(raw!);
    const [host, port] = map['81'].split(':');
    expect(host).toBe(ip);
    expect(Number(port)).toBeGreaterThan(1024);
    expect(await fetchBody(host, Number(port))).toBe('a');
    const events = t.ctx.store.list('events', { namespace: 'default' }).items;
    expect(events.find((e) => e.reason === 'PortMapped')?.message).toContain(`${ip}:${port}`);
  });

  it('stops listening when a service goes, and serves the kubernetes service from its slice', async () => {
    const t = await setup();
    const svc = service(t, { type: 'NodePort' });
    await pod(t, 'a', '127.246.1.10');
    await waitFor(() => fetchBody(svc.spec.clusterIP, 81));
    t.ctx.store.delete('services', 'default', 'web');
    await t.proxy.settled();
    expect(t.proxy.frontends()).toHaveLength(0);
    expect(await refused(svc.spec.clusterIP, 81)).toBe(true);
  });

  it('binds only 127.0.0.0/8, as the OS reports', async () => {
    const t = await setup();
    service(t, { type: 'NodePort' });
    await pod(t, 'a', '127.246.1.10');
    await waitFor(() => t.proxy.frontends().every((f) => f.listening));
    const sockets = ownListeningSockets();
    const proxied = t.proxy.frontends().map((f) => `${f.host}:${f.effectivePort}`);
    for (const p of proxied) expect(sockets).toContain(p);
    expect(sockets.length).toBeGreaterThanOrEqual(5);
    for (const s of sockets) expect(s, s).toMatch(/^(::ffff:)?127\.\d+\.\d+\.\d+:\d+$/);
    expect(() => assertLoopback('0.0.0.0', 'bind')).toThrow(/127\.0\.0\.0\/8/);
    expect(() => assertLoopback('10.96.0.1', 'bind')).toThrow();
    expect(() => assertLoopback('::', 'bind')).toThrow();
  });

  it('loses no request during a rolling replacement under 20 requests/s', async () => {
    const t = await setup();
    const ip = service(t).spec.clusterIP;
    const old = ['o0', 'o1', 'o2', 'o3'];
    for (const [i, n] of old.entries()) await pod(t, n, `127.246.1.${20 + i}`);
    await waitFor(() => fetchBody(ip, 81));
    let ok = 0;
    const failures: string[] = [];
    let load = true;
    const loop = (async () => {
      while (load) {
        fetchBody(ip, 81).then(
          () => ok++,
          (e) => failures.push(String(e)),
        );
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    for (const [i, n] of old.entries()) {
      await pod(t, `n${i}`, `127.246.2.${20 + i}`);
      await new Promise((r) => setTimeout(r, 100));
      t.ctx.store.delete('pods', 'default', n); // terminating: out of rotation, still serving
      await new Promise((r) => setTimeout(r, 100));
      const s = servers.find((x) => (x.address() as { address: string } | null)?.address === `127.246.1.${20 + i}`)!;
      s.closeAllConnections();
      s.close();
      t.ctx.store.forceRemove('pods', 'default', n);
    }
    load = false;
    await loop;
    await new Promise((r) => setTimeout(r, 200));
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(10);
  });
});
