import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Component } from '../../../source/engine/context.ts';
import { inProcessServer, registerInProcess, unregisterInProcess } from '../../../source/engine/runtime/in-process.ts';
import { runPod } from '../controllers/endpoints-helpers.ts';
import { proxiedService } from './service-setup.ts';
import { closeAll, count, fetchBody, waitFor } from './helpers.ts';

const running: Component[] = [];
const servers: Server[] = [];
const registered: Array<[string, number, Server]> = [];
afterEach(async () => {
  for (const c of running.splice(0)) await c.stop();
  for (const [uid, port, s] of registered.splice(0)) unregisterInProcess(uid, port, s);
  await closeAll(servers.splice(0));
});

function setup() {
  const { ctx, slices, svc } = proxiedService(running, { type: 'NodePort' });
  return { ctx, slices, ip: svc.spec.clusterIP as string, nodePort: svc.spec.ports[0].nodePort as number };
}

/**
 * An HTTP server answering `name` and the address its connection was accepted on: the pod IP
 * when dialled, the service's address when the proxy handed the socket over.
 */
function server(name: string, ip: string, port: number): Promise<Server> {
  const s = createServer((req, res) => res.end(`${name} ${req.socket.localAddress}`));
  servers.push(s);
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen(port, ip, () => resolve(s));
  });
}

async function inEngine(uid: string, name: string, ip: string, port = 8080): Promise<Server> {
  const s = await server(name, ip, port);
  registerInProcess(uid, 8080, s);
  registered.push([uid, 8080, s]);
  return s;
}

describe('service proxy hand-off to in-engine servers', () => {
  it('hands a connection for an in-engine pod straight to its server, on the ClusterIP and a NodePort', async () => {
    const t = setup();
    const pod = runPod(t.ctx.store, 'a', { ip: '127.246.3.10', ports: [{ containerPort: 8080 }] });
    const s = await inEngine(pod.metadata.uid!, 'a', '127.246.3.10');
    let accepted = 0;
    s.on('connection', () => accepted++);
    await waitFor(async () => (await fetchBody(t.ip, 81)).startsWith('a'));
    // The socket the server got is the one accepted on the service address: no second connection.
    expect(await fetchBody(t.ip, 81)).toBe(`a ${t.ip}`);
    expect(await fetchBody('127.0.1.2', t.nodePort)).toBe('a 127.0.1.2');
    expect(accepted).toBeGreaterThanOrEqual(2);
  });

  it('keeps round robin across in-engine and process pods', async () => {
    const t = setup();
    const a = runPod(t.ctx.store, 'a', { ip: '127.246.3.10', ports: [{ containerPort: 8080 }] });
    await inEngine(a.metadata.uid!, 'a', '127.246.3.10');
    runPod(t.ctx.store, 'b', { ip: '127.246.3.11', ports: [{ containerPort: 8080 }] });
    await server('b', '127.246.3.11', 8080);
    await waitFor(async () => Object.keys(await count(t.ip, 81, 2)).length === 2);
    const seen = await count(t.ip, 81, 10);
    expect(seen).toEqual({ [`a ${t.ip}`]: 5, 'b 127.246.3.11': 5 });
  });

  it("never gives a recycled pod address the old pod's server", async () => {
    const t = setup();
    const old = runPod(t.ctx.store, 'web-0', { ip: '127.246.3.20', ports: [{ containerPort: 8080 }] });
    // The old pod's server is still registered and listening (say its stop is slow), on a mapped port.
    await inEngine(old.metadata.uid!, 'old', '127.246.3.20', 0);
    await waitFor(async () => (await fetchBody(t.ip, 81)).startsWith('old'));
    // The slice still names the old pod (its UID) until the controller catches up: freeze it there.
    t.slices.stop();
    t.ctx.store.forceRemove('pods', 'default', 'web-0');
    // Same name, same IP, new UID: a process pod now listens on the address.
    const fresh = runPod(t.ctx.store, 'web-0', { ip: '127.246.3.20', ports: [{ containerPort: 8080 }] });
    expect(fresh.metadata.uid).not.toBe(old.metadata.uid);
    await server('new', '127.246.3.20', 8080);
    // Nothing reaches the old server, though the slice still carries its UID.
    const bodies = Object.keys(await count(t.ip, 81, 10));
    expect(bodies).toEqual(['new 127.246.3.20']);
    expect(inProcessServer(old.metadata.uid, 8080)).toBeDefined();
  });

  it('falls back to dialling the pod once its server stops listening', async () => {
    const t = setup();
    const pod = runPod(t.ctx.store, 'a', { ip: '127.246.3.30', ports: [{ containerPort: 8080 }] });
    const s = await inEngine(pod.metadata.uid!, 'a', '127.246.3.30');
    await waitFor(async () => (await fetchBody(t.ip, 81)).startsWith('a'));
    await new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r())));
    expect(inProcessServer(pod.metadata.uid, 8080)).toBeUndefined();
    await server('again', '127.246.3.30', 8080);
    expect(await fetchBody(t.ip, 81)).toBe('again 127.246.3.30');
  });
});
