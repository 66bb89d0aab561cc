import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/engine.ts';
import { spawnEngine, type ChildEngine } from '../reliability/support/child-engine.ts';
import { inetSockets, isLoopback4, isUnspecified, type InetSocket } from './proc-sockets.ts';

const LISTEN = '0A';
let home: string;
let engine: ChildEngine;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'skiff-sockets-'));
  engine = await spawnEngine(home);
});
afterAll(async () => {
  await engine?.kill('SIGTERM');
  rmSync(home, { recursive: true, force: true });
});

describe('the engine process listens and connects only on loopback', () => {
  it('holds only 127.0.0.0/8 sockets (read from /proc), with workloads and a watch running', async () => {
    const c = engine.client;
    // Give the engine reasons to open more sockets: a Service (proxy), an nginx pod (in-engine server).
    const labels = { app: 'web' };
    await c.json('POST', '/apis/apps/v1/namespaces/default/deployments', {
      metadata: { name: 'web' },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
      },
    });
    await c.json('POST', '/api/v1/namespaces/default/services', {
      metadata: { name: 'web' },
      spec: { type: 'NodePort', selector: labels, ports: [{ port: 80, targetPort: 80 }] },
    });
    // Best effort: once the kubelet runs the pod, its in-engine server listens too.
    await waitFor(
      async () =>
        (await c.json('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).body.items?.[0]?.status
          ?.phase === 'Running',
      6_000,
    ).catch(() => {});
    const watch = c.request({ path: '/api/v1/pods?watch=true&timeoutSeconds=3', timeoutMs: 10_000 });

    const seen = new Map<string, InetSocket>();
    const deadline = Date.now() + 3_000;
    while (Date.now() < deadline) {
      for (const s of inetSockets(engine.pid)) seen.set(`${s.proto} ${s.inode} ${s.state} ${s.remote}`, s);
      await new Promise((r) => setTimeout(r, 100));
    }
    await watch;

    const sockets = [...seen.values()];
    const listeners = sockets.filter((s) => (s.proto.startsWith('tcp') ? s.state === LISTEN : true));
    const apiPort = Number(new URL(engine.url).port);
    expect(listeners.some((s) => s.localPort === apiPort && s.local === '127.0.0.1')).toBe(true);
    const outside = sockets.filter((s) => !isLoopback4(s.local) || !(isLoopback4(s.remote) || isUnspecified(s.remote)));
    expect(outside, JSON.stringify(outside)).toEqual([]);
  });
});
