import { execFileSync, spawn } from 'node:child_process';
import type { Server } from 'node:http';
import { connect, createServer, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import type { Component } from '../../../source/engine/context.ts';
import { nativeRelayStats } from '../../../source/engine/proxy/native-relay.ts';
import { registerInProcess, unregisterInProcess } from '../../../source/engine/runtime/in-process.ts';
import { runPod } from '../controllers/endpoints-helpers.ts';
import { proxiedService } from './service-setup.ts';
import { backend, closeAll, count, fetchBody, waitFor } from './helpers.ts';

const running: Component[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const c of running.splice(0)) await c.stop();
  await closeAll(servers.splice(0));
});

function setup(spec: Record<string, unknown> = {}) {
  const { ctx, proxy, svc } = proxiedService(running, { type: 'NodePort', ...spec });
  return { ctx, proxy, ip: svc.spec.clusterIP as string, nodePort: svc.spec.ports[0].nodePort as number };
}

type Setup = ReturnType<typeof setup>;

/** A process pod: its server is an HTTP server answering its name (no in-engine server registered). */
async function pod(t: Setup, name: string, ip: string): Promise<Server> {
  const s = await backend(name, ip, 8080);
  servers.push(s);
  runPod(t.ctx.store, name, { ip, ports: [{ containerPort: 8080 }] });
  return s;
}

const accepted = () => nativeRelayStats().accepted;

/** Requests on new connections, `parallel` at a time, until `stop` resolves: the replies and the errors. */
async function load(t: Setup, parallel: number, stop: Promise<void>) {
  const replies: Record<string, number> = {};
  const errors: string[] = [];
  let done = false;
  void stop.then(() => (done = true));
  await Promise.all(
    Array.from({ length: parallel }, async (_, i) => {
      while (!done) {
        const [host, port] = i % 2 ? [t.ip, 81] : ['127.0.0.1', t.nodePort];
        try {
          const b = await fetchBody(host, port);
          replies[b] = (replies[b] ?? 0) + 1;
        } catch (e) {
          errors.push((e as Error).message);
        }
      }
    }),
  );
  return { replies, errors };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(process.env.SKIFF_PROXY_NATIVE === '0')('service proxy: accept in the native relay', () => {
  it('accepts connections to process pods in the relay thread, round robin, on the ClusterIP and the NodePort', async () => {
    const t = setup();
    await pod(t, 'a', '127.246.5.10');
    await pod(t, 'b', '127.246.5.11');
    await pod(t, 'c', '127.246.5.12');
    await waitFor(async () => Object.keys(await count(t.ip, 81, 3)).length === 3);
    const before = nativeRelayStats();
    const counts = await count(t.ip, 81, 30);
    expect(Object.keys(counts).sort()).toEqual(['a', 'b', 'c']);
    for (const n of Object.values(counts)) expect(n).toBe(10);
    expect(Object.keys(await count('127.0.1.2', t.nodePort, 3)).sort()).toEqual(['a', 'b', 'c']);
    const after = nativeRelayStats();
    expect(after.accepted - before.accepted).toBe(33);
    expect(after.spliced - before.spliced).toBe(0);
  });

  it('loses no connection while endpoints come and go and acceptance switches between the relay and JavaScript', async () => {
    const t = setup();
    await pod(t, 'a', '127.246.5.20');
    await pod(t, 'b', '127.246.5.21');
    await waitFor(async () => Object.keys(await count(t.ip, 81, 2)).length === 2);
    const before = accepted();
    let finish!: () => void;
    const running = load(t, 6, new Promise((r) => (finish = r)));
    await pause(100);
    await pod(t, 'c', '127.246.5.22');
    await pause(100);
    // Session affinity needs JavaScript per connection; dropping it gives acceptance back.
    t.ctx.store.mutate('services', 'default', 'web', (s) => void (s.spec.sessionAffinity = 'ClientIP'));
    await pause(100);
    t.ctx.store.mutate('services', 'default', 'web', (s) => void (s.spec.sessionAffinity = 'None'));
    await pause(100);
    // Pod a goes (its server stays up: closing it would reset what waits in its own accept queue).
    t.ctx.store.forceRemove('pods', 'default', 'a');
    await pause(100);
    // An in-engine pod joins (JavaScript hands its connections to its server), then leaves.
    const d = runPod(t.ctx.store, 'd', { ip: '127.246.5.23', ports: [{ containerPort: 8080 }] });
    const dServer = await backend('d', '127.246.5.23', 8080);
    servers.push(dServer);
    registerInProcess(d.metadata.uid!, 8080, dServer);
    await pause(100);
    unregisterInProcess(d.metadata.uid!, 8080, dServer);
    await pause(100);
    finish();
    const { replies, errors } = await running;
    expect(errors).toEqual([]);
    expect(Object.keys(replies).every((n) => ['a', 'b', 'c', 'd'].includes(n))).toBe(true);
    expect(replies.c).toBeGreaterThan(0);
    expect(accepted() - before).toBeGreaterThan(0);
    expect(await count(t.ip, 81, 6)).toEqual({ b: 2, c: 2, d: 2 });
  });

  it('resets the client when every endpoint refuses', async () => {
    const t = setup();
    // Pods whose port nothing listens on.
    runPod(t.ctx.store, 'a', { ip: '127.246.5.30', ports: [{ containerPort: 8080 }] });
    runPod(t.ctx.store, 'b', { ip: '127.246.5.31', ports: [{ containerPort: 8080 }] });
    await t.proxy.settled();
    await waitFor(() => t.proxy.frontends().every((f) => f.listening));
    const before = accepted();
    for (let i = 0; i < 4; i++) {
      const err = await fetchBody(t.ip, 81).then(
        () => undefined,
        (e: NodeJS.ErrnoException) => e.code,
      );
      expect(err).toBe('ECONNRESET');
    }
    expect(accepted() - before).toBe(4);
  });

  it('accepts in JavaScript while an in-engine pod is an endpoint, and in the relay again once it is gone', async () => {
    const t = setup();
    await pod(t, 'a', '127.246.5.40');
    const b = runPod(t.ctx.store, 'b', { ip: '127.246.5.41', ports: [{ containerPort: 8080 }] });
    const bServer = await backend('b', '127.246.5.41', 8080);
    servers.push(bServer);
    registerInProcess(b.metadata.uid!, 8080, bServer);
    await waitFor(async () => Object.keys(await count(t.ip, 81, 2)).length === 2);
    let before = accepted();
    expect(await count(t.ip, 81, 4)).toEqual({ a: 2, b: 2 });
    expect(accepted() - before).toBe(0);
    unregisterInProcess(b.metadata.uid!, 8080, bServer);
    before = accepted();
    expect(await count(t.ip, 81, 4)).toEqual({ a: 2, b: 2 });
    expect(accepted() - before).toBe(4);
  });

  it('keeps sessionAffinity ClientIP in JavaScript', async () => {
    const t = setup({ sessionAffinity: 'ClientIP' });
    await pod(t, 'a', '127.246.5.50');
    await pod(t, 'b', '127.246.5.51');
    await waitFor(() => fetchBody(t.ip, 81));
    const before = accepted();
    expect(Object.keys(await count(t.ip, 81, 10))).toHaveLength(1);
    expect(accepted() - before).toBe(0);
  });

  it('closes the connections it accepted when the proxy stops', async () => {
    const t = setup();
    await pod(t, 'a', '127.246.5.60');
    await waitFor(() => fetchBody(t.ip, 81));
    const s = connect({ host: t.ip, port: 81 });
    s.on('error', () => {});
    await new Promise((r) => s.once('connect', r));
    const closed = new Promise((r) => s.once('close', r));
    await waitFor(() => nativeRelayStats().open > 0);
    await t.proxy.stop();
    await closed;
  });

  const hasPrlimit = (() => {
    try {
      execFileSync('prlimit', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  // With 1 spare descriptor, the relay's accept takes it and the backend's socket finds none: that
  // client is reset, and the rest must not be accepted into the descriptor its reset frees.
  it.skipIf(!hasPrlimit).each([0, 1])(
    'gives the accept back to JavaScript when the relay runs out of descriptors (%i spare), without spinning',
    { timeout: 20_000 },
    async (spare) => {
      const held: Socket[] = [];
      const back = createServer((s) => held.push(s.resume()));
      await new Promise<void>((r) => back.listen(0, '127.246.5.71', r));
      const child = spawn(
        'prlimit',
        [
          '--nofile=64:64',
          process.execPath,
          '--import',
          'tsx',
          `${import.meta.dirname}/accept-emfile-child.ts`,
          String((back.address() as { port: number }).port),
          String(spare),
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const lines: string[] = [];
      const clients: Socket[] = [];
      // What the clients saw, for the failure message.
      const seen = new Map<string, number>();
      const see = (what: string) => seen.set(what, (seen.get(what) ?? 0) + 1);
      const exited = new Promise((r) => child.once('exit', r));
      for await (const line of createInterface({ input: child.stdout! })) {
        lines.push(line);
        const port = /^\{"port":(\d+)\}$/.exec(line)?.[1];
        if (port)
          for (let i = 0; i < 80; i++) {
            const c = connect(Number(port), '127.246.5.70');
            c.on('error', (e: NodeJS.ErrnoException) => see(`error ${e.code}`));
            c.on('connect', () => see('connected'));
            c.on('close', () => see('closed'));
            clients.push(c);
          }
      }
      await exited;
      for (const c of clients) c.destroy();
      const clientsSaw = `clients: ${JSON.stringify(Object.fromEntries(seen))}`;
      expect(lines, clientsSaw).toContain('error: native accept failed (out of descriptors?): accepting in JavaScript');
      expect(seen.get('error ECONNRESET') ?? 0, clientsSaw).toBeLessThanOrEqual(1);
      // Level-triggered epoll on a listener it cannot accept from would keep a core busy for the 2 s.
      const cpuMs = JSON.parse(lines.find((l) => l.startsWith('{"cpuMs"'))!).cpuMs as number;
      expect(cpuMs).toBeLessThan(1000);
    },
  );
});
