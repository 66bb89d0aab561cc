import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { Component } from '../../../source/engine/context.ts';
import { endpointSlicesController } from '../../../source/engine/controllers/endpointslices.ts';
import { ServiceProxy } from '../../../source/engine/proxy/service-proxy.ts';
import { runPod, testContext } from '../controllers/endpoints-helpers.ts';
import { ownListeningSockets, waitFor } from './helpers.ts';

const running: Component[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const c of running.splice(0)) await c.stop();
  for (const s of sockets.splice(0)) s.close();
});

function setup(spec: Record<string, unknown> = {}, udpIdleMs = 30_000) {
  const ctx = testContext();
  const slices = endpointSlicesController();
  const proxy = new ServiceProxy({ udpIdleMs });
  slices.start(ctx);
  proxy.start(ctx);
  running.push(slices, proxy);
  const svc = ctx.store.create('services', {
    metadata: { name: 'echo', namespace: 'default' },
    spec: {
      type: 'NodePort',
      selector: { app: 'echo' },
      ports: [{ name: 'udp', protocol: 'UDP', port: 5353, targetPort: 9000 }],
      ...spec,
    },
  });
  return { ctx, proxy, ip: svc.spec.clusterIP as string, nodePort: svc.spec.ports[0].nodePort as number };
}

/** A UDP server answering `name:payload` to whoever sent it, from the pod's IP. */
function echo(name: string, ip: string, port = 9000): Promise<Socket> {
  const s = createSocket('udp4');
  sockets.push(s);
  s.on('message', (m, r) => s.send(`${name}:${m}`, r.port, r.address));
  return new Promise((resolve) => s.bind(port, ip, () => resolve(s)));
}

/** A client socket on loopback: send() resolves to the reply (or undefined after `ms`). */
async function client() {
  const s = createSocket('udp4');
  sockets.push(s);
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  return {
    socket: s,
    send: (host: string, port: number, text: string, ms = 1000) =>
      new Promise<string | undefined>((resolve) => {
        const t = setTimeout(() => (s.off('message', on), resolve(undefined)), ms);
        const on = (m: Buffer) => (clearTimeout(t), s.off('message', on), resolve(String(m)));
        s.on('message', on);
        s.send(text, port, host);
      }),
  };
}

const ask = async (host: string, port: number, text = 'hi') => (await client()).send(host, port, text);

describe('service proxy: UDP ports', () => {
  it('relays datagrams on the ClusterIP and NodePorts and sends replies back from the service address', async () => {
    const t = setup();
    runPod(t.ctx.store, 'a', {
      labels: { app: 'echo' },
      ip: '127.246.4.10',
      ports: [{ containerPort: 9000, protocol: 'UDP' }],
    });
    await echo('a', '127.246.4.10');
    await waitFor(() => t.proxy.frontends().every((f) => f.listening) && t.proxy.frontends().length > 0);
    const c = await client();
    let from = '';
    c.socket.once('message', (_m, r) => (from = `${r.address}:${r.port}`));
    expect(await c.send(t.ip, 5353, 'ping')).toBe('a:ping');
    expect(from).toBe(`${t.ip}:5353`);
    expect(await ask('127.0.1.2', t.nodePort)).toBe('a:hi');
    expect(await ask('127.0.0.1', t.nodePort)).toBe('a:hi');
  });

  it('keeps a flow on one endpoint and spreads new flows round robin', async () => {
    const t = setup();
    for (const [n, ip] of [
      ['a', '127.246.4.10'],
      ['b', '127.246.4.11'],
    ] as const) {
      runPod(t.ctx.store, n, { labels: { app: 'echo' }, ip, ports: [{ containerPort: 9000, protocol: 'UDP' }] });
      await echo(n, ip);
    }
    await waitFor(async () => (await ask(t.ip, 5353)) !== undefined);
    await waitFor(() => t.proxy.frontends().length > 0);
    const c = await client();
    const first = (await c.send(t.ip, 5353, '1'))!.split(':')[0];
    for (let i = 0; i < 5; i++) expect(await c.send(t.ip, 5353, String(i))).toBe(`${first}:${i}`);
    const names = new Set<string>();
    for (let i = 0; i < 6; i++) names.add((await ask(t.ip, 5353))!.split(':')[0]!);
    expect([...names].sort()).toEqual(['a', 'b']);
  });

  it("ends an idle flow, so the client's next datagram may go elsewhere", async () => {
    const t = setup({}, 100);
    runPod(t.ctx.store, 'a', {
      labels: { app: 'echo' },
      ip: '127.246.4.10',
      ports: [{ containerPort: 9000, protocol: 'UDP' }],
    });
    await echo('a', '127.246.4.10');
    await waitFor(async () => (await ask(t.ip, 5353)) !== undefined);
    const c = await client();
    expect(await c.send(t.ip, 5353, 'x')).toBe('a:x');
    // A new endpoint only gets new flows: this one sticks until it idles out.
    runPod(t.ctx.store, 'b', {
      labels: { app: 'echo' },
      ip: '127.246.4.11',
      ports: [{ containerPort: 9000, protocol: 'UDP' }],
    });
    await echo('b', '127.246.4.11');
    await new Promise((r) => setTimeout(r, 20));
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) seen.add((await c.send(t.ip, 5353, 'y'))!);
    expect([...seen]).toEqual(['a:y']);
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 250));
      seen.add((await c.send(t.ip, 5353, 'y'))!);
    }
    expect([...seen].sort()).toEqual(['a:y', 'b:y']);
  });

  it('ends a flow whose endpoint leaves the service: the next datagram goes to a live endpoint', async () => {
    const t = setup();
    for (const [n, ip] of [
      ['a', '127.246.4.10'],
      ['b', '127.246.4.11'],
    ] as const) {
      runPod(t.ctx.store, n, { labels: { app: 'echo' }, ip, ports: [{ containerPort: 9000, protocol: 'UDP' }] });
      await echo(n, ip);
    }
    await waitFor(async () => (await ask(t.ip, 5353)) !== undefined);
    const c = await client();
    const first = (await c.send(t.ip, 5353, '1'))!.split(':')[0]!;
    const other = first === 'a' ? 'b' : 'a';
    // The pod goes away while its server still answers: only the proxy can move the flow.
    t.ctx.store.forceRemove('pods', 'default', first);
    expect(await waitFor(async () => (await c.send(t.ip, 5353, '2')) === `${other}:2`, 5000)).toBe(true);
    for (let i = 0; i < 3; i++) expect(await c.send(t.ip, 5353, String(i))).toBe(`${other}:${i}`);
  });

  it('sends a client to the same endpoint under sessionAffinity ClientIP', async () => {
    const t = setup({ sessionAffinity: 'ClientIP' });
    for (const [n, ip] of [
      ['a', '127.246.4.10'],
      ['b', '127.246.4.11'],
    ] as const) {
      runPod(t.ctx.store, n, { labels: { app: 'echo' }, ip, ports: [{ containerPort: 9000, protocol: 'UDP' }] });
      await echo(n, ip);
    }
    await waitFor(async () => (await ask(t.ip, 5353)) !== undefined);
    const names = new Set<string>();
    for (let i = 0; i < 6; i++) names.add((await ask(t.ip, 5353))!.split(':')[0]!);
    expect(names.size).toBe(1);
  });

  it('closes the port while there is no endpoint, and binds only loopback', async () => {
    const t = setup();
    await t.proxy.settled();
    expect(t.proxy.frontends().some((f) => f.listening)).toBe(false);
    expect(await ask(t.ip, 5353)).toBeUndefined();
    runPod(t.ctx.store, 'a', {
      labels: { app: 'echo' },
      ip: '127.246.4.10',
      ports: [{ containerPort: 9000, protocol: 'UDP' }],
    });
    await echo('a', '127.246.4.10');
    await waitFor(async () => (await ask(t.ip, 5353)) === 'a:hi');
    const udp = ownListeningSockets('udp');
    expect(udp.length).toBeGreaterThan(0);
    for (const a of udp) expect(a).toMatch(/^127\./);
  });
});
