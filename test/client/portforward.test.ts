import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeConfig } from '../../source/client/kubeconfig.ts';
import { podTarget, serviceTarget } from '../../source/client/forward-targets.ts';
import { startPortForward } from '../../source/client/portforward.ts';
import { Transport } from '../../source/client/transport.ts';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';

let t: TestEngine;
let transport: Transport;

beforeAll(async () => {
  t = await startTestEngine();
  transport = new Transport(loadKubeConfig({ path: t.engine.kubeconfigPath }));
  await t.kubectl(['create', 'deployment', 'web', '--image=nginx:1.25', '--port=80']);
  await t.kubectl(['expose', 'deployment', 'web', '--port=8080', '--target-port=80']);
  await t.kubectl(['rollout', 'status', 'deploy/web', '--timeout=90s']);
}, 120_000);
afterAll(async () => {
  transport?.close();
  await t?.stop();
});

function get(port: number): Promise<string> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let out = '';
    sock.on('connect', () => sock.write('GET / HTTP/1.0\r\nHost: x\r\n\r\n'));
    sock.on('data', (d) => (out += d.toString()));
    sock.on('end', () => resolve(out));
    sock.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

async function podName(): Promise<string> {
  return (await t.kubectl(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}'])).stdout;
}

describe('port-forward client (WebSocket v4.channel.k8s.io)', { timeout: 120_000 }, () => {
  it('relays HTTP to a pod, counts bytes and connections, and refuses after stop', async () => {
    const pod = await podName();
    const pf = await startPortForward(transport, {
      address: '127.0.0.1',
      localPort: 0,
      resolve: podTarget(transport, 'default', pod, 80),
    });
    const page = await get(pf.localPort);
    expect(page).toContain('200 OK');
    expect(page).toContain('Welcome to nginx!');
    expect(pf.stats.total).toBe(1);
    expect(pf.stats.pod).toBe(pod);
    expect(pf.stats.bytesIn).toBe(Buffer.byteLength(page));
    expect(pf.stats.bytesOut).toBe('GET / HTTP/1.0\r\nHost: x\r\n\r\n'.length);
    await pf.stop();
    expect(await get(pf.localPort)).toBe('ECONNREFUSED');
  });

  it('a pod forward reports the pod gone; a missing port is the server error', async () => {
    const pf = await startPortForward(transport, {
      address: '127.0.0.1',
      localPort: 0,
      resolve: podTarget(transport, 'default', 'nope', 80),
    });
    expect(await get(pf.localPort)).toBe('');
    expect(pf.stats.error).toBe('pod nope is gone');
    await pf.stop();
  });

  it('a service forward maps the service port to the target port of a ready pod', async () => {
    const pf = await startPortForward(transport, {
      address: '127.0.0.1',
      localPort: 0,
      resolve: serviceTarget(transport, 'default', 'web', 8080),
    });
    expect(await get(pf.localPort)).toContain('Welcome to nginx!');
    expect(pf.stats.pod).toBe(await podName());
    await pf.stop();
  });
});
