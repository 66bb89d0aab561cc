import { get, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Component } from '../../../source/engine/context.ts';
import { runPod } from '../controllers/endpoints-helpers.ts';
import { proxiedService } from './service-setup.ts';
import { backend, closeAll, fetchBody, waitFor } from './helpers.ts';

const running: Component[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const c of running.splice(0)) await c.stop();
  await closeAll(servers.splice(0));
});

async function setup(spec: Record<string, unknown>) {
  const { ctx, svc } = proxiedService(running, spec);
  // One pod on node1, two on node2.
  for (const [name, ip, node] of [
    ['a', '127.246.7.10', 'node1'],
    ['b', '127.246.7.11', 'node2'],
    ['c', '127.246.7.12', 'node2'],
  ] as const) {
    servers.push(await backend(name, ip, 8080));
    runPod(ctx.store, name, { ip, node, ports: [{ containerPort: 8080 }] });
  }
  await waitFor(async () => (await fetchBody(svc.spec.clusterIP, 81)).length > 0);
  return { ctx, svc };
}

/** GET / on a new connection from `from` (the client's source address). */
function fetchFrom(host: string, port: number, from: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get({ host, port, path: '/', agent: false, localAddress: from }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
  });
}

async function bodies(n: number, f: () => Promise<string>): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < n; i++) out.add(await f());
  return out;
}

describe('service semantics in the proxy', () => {
  it('sessionAffinity ClientIP keeps each client on one endpoint until the timeout', async () => {
    const { svc } = await setup({
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
    });
    const ip = svc.spec.clusterIP;
    const one = await bodies(9, () => fetchFrom(ip, 81, '127.0.0.1'));
    expect(one.size).toBe(1);
    // Other clients are spread as usual and stick too.
    const others = new Set<string>();
    for (const from of ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6']) {
      const got = await bodies(3, () => fetchFrom(ip, 81, from));
      expect(got.size).toBe(1);
      others.add([...got][0]!);
    }
    expect(others.size).toBeGreaterThan(1);
  });

  it('sessionAffinity ClientIP: past the timeout a client is balanced again', async () => {
    const { ctx, svc } = await setup({
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
    });
    const ip = svc.spec.clusterIP;
    const seen = new Set<string>();
    // Each round: stick, let the affinity expire, and the next connection takes the next endpoint.
    for (let i = 0; i < 3; i++) {
      const got = await bodies(2, () => fetchFrom(ip, 81, '127.0.0.1'));
      expect(got.size).toBe(1);
      seen.add([...got][0]!);
      ctx.clock.advance(61_000);
    }
    expect(seen.size).toBe(3);
  });

  it('without affinity the same client is spread over every endpoint', async () => {
    const { svc } = await setup({});
    expect((await bodies(6, () => fetchFrom(svc.spec.clusterIP, 81, '127.0.0.1'))).size).toBe(3);
  });

  it('externalTrafficPolicy Local: a NodePort on a node IP only reaches that node’s endpoints', async () => {
    const { svc } = await setup({ type: 'NodePort', externalTrafficPolicy: 'Local' });
    const nodePort = svc.spec.ports[0].nodePort;
    await waitFor(async () => (await fetchBody('127.0.1.2', nodePort)).length > 0);
    expect(await bodies(4, () => fetchBody('127.0.1.2', nodePort))).toEqual(new Set(['a']));
    expect(await bodies(6, () => fetchBody('127.0.1.3', nodePort))).toEqual(new Set(['b', 'c']));
    // The ClusterIP is not affected by the external policy.
    expect((await bodies(6, () => fetchBody(svc.spec.clusterIP, 81))).size).toBe(3);
  });

  it('internalTrafficPolicy Local: a pod reaches only endpoints on its own node through the ClusterIP', async () => {
    const { svc } = await setup({ internalTrafficPolicy: 'Local' });
    const ip = svc.spec.clusterIP;
    // Source addresses inside node1's and node2's pod CIDRs (127.244.1.0/24, 127.244.2.0/24).
    expect(await bodies(4, () => fetchFrom(ip, 81, '127.244.1.77'))).toEqual(new Set(['a']));
    expect(await bodies(6, () => fetchFrom(ip, 81, '127.244.2.77'))).toEqual(new Set(['b', 'c']));
  });
});
