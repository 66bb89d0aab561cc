import { createServer, request, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { KObject } from '../../../source/api-types/index.ts';
import { handlePortForward } from '../../../source/engine/kubelet/streams/portforward.ts';
import { backend, closeAll, waitFor } from './helpers.ts';
import { SpdyTestClient } from './spdy-client.ts';
import { rawWebSocket } from './ws-client.ts';

const servers: Server[] = [];
const sockets = new Set<Duplex>();
afterEach(async () => {
  sockets.forEach((s) => s.destroy());
  sockets.clear();
  await closeAll(servers.splice(0));
});

const pod: KObject = {
  metadata: { name: 'web-1', namespace: 'default', uid: 'u-1' },
  status: { podIP: '127.246.1.20' },
};

/** A stand-in API server that routes every upgrade to handlePortForward. */
async function apiServer(p: KObject = pod): Promise<number> {
  const s = createServer((_req, res) => res.end());
  s.on('upgrade', (req, socket, head) => {
    sockets.add(socket);
    const url = new URL(req.url!, 'http://x');
    handlePortForward(p, url.searchParams, req, socket, head);
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return (s.address() as { port: number }).port;
}

async function tunnel(port: number) {
  const ws = await rawWebSocket(
    port,
    '/api/v1/namespaces/default/pods/web-1/portforward',
    'SPDY/3.1+portforward.k8s.io',
  );
  expect(ws.protocol).toBe('SPDY/3.1+portforward.k8s.io');
  const client = new SpdyTestClient((b) => ws.send(b));
  ws.onMessage((d) => client.push(d));
  return { client, ws };
}

const httpGet = 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';

describe('port-forward', () => {
  it('forwards connections over SPDY tunnelled in a WebSocket (kubectl 1.32)', async () => {
    servers.push(await backend('pod says hi', '127.246.1.20', 8080));
    const { client, ws } = await tunnel(await apiServer());
    for (const rid of [0, 1]) {
      const { error, data } = await client.connect(8080, rid);
      await waitFor(() => client.replies.has(error) && client.replies.has(data));
      client.send(data, httpGet);
      await waitFor(() => client.fin.has(data));
      client.reset(data); // what kubectl does once the remote side is done
      await waitFor(() => client.fin.has(error));
      expect(client.text(data)).toMatch(/^HTTP\/1.1 200 OK[\s\S]*pod says hi$/);
      expect(client.text(error)).toBe('');
    }
    client.ping(7);
    await waitFor(() => client.pings.includes(7));
    ws.close();
  });

  it('reports a refused port on the error stream', async () => {
    const { client, ws } = await tunnel(await apiServer());
    const { error, data } = await client.connect(9999, 0);
    await waitFor(() => client.fin.has(error));
    expect(client.text(error)).toMatch(
      /^error forwarding port 9999 to pod web-1, uid u-1: dial tcp4 127.246.1.20:9999: .*ECONNREFUSED/,
    );
    await waitFor(() => client.fin.has(data));
    ws.close();
  });

  it('follows the port map the kubelet recorded on the pod', async () => {
    const mapped = await backend('mapped', '127.0.0.1', 0);
    servers.push(mapped);
    const hostPort = (mapped.address() as { port: number }).port;
    const p = structuredClone(pod);
    p.metadata.annotations = { 'skiff.dev/port-map': JSON.stringify({ 80: `127.0.0.1:${hostPort}` }) };
    const { client, ws } = await tunnel(await apiServer(p));
    const { data } = await client.connect(80, 0);
    client.send(data, httpGet);
    await waitFor(() => client.fin.has(data));
    expect(client.text(data)).toMatch(/mapped$/);
    ws.close();
  });

  it('speaks plain SPDY/3.1 when the client falls back from WebSockets', async () => {
    servers.push(await backend('spdy', '127.246.1.20', 8080));
    const port = await apiServer();
    const socket = await new Promise<Socket>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/v1/namespaces/default/pods/web-1/portforward',
        headers: { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'portforward.k8s.io' },
      });
      req.on('upgrade', (res, s) => {
        expect(res.statusCode).toBe(101);
        expect(res.headers['x-stream-protocol-version']).toBe('portforward.k8s.io');
        resolve(s);
      });
      req.on('error', reject);
      req.end();
    });
    socket.on('error', () => {});
    const client = new SpdyTestClient((b) => socket.write(b));
    socket.on('data', (d) => client.push(d));
    const { data } = await client.connect(8080, 0);
    client.send(data, httpGet);
    await waitFor(() => client.fin.has(data));
    expect(client.text(data)).toMatch(/spdy$/);
    socket.destroy();
  });

  it('serves the v4 WebSocket channel protocol', async () => {
    servers.push(await backend('channels', '127.246.1.20', 8080));
    const port = await apiServer();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/portforward?ports=8080`, ['v4.channel.k8s.io']);
    ws.on('error', () => {});
    const got: Buffer[] = [];
    ws.on('message', (d: Buffer) => got.push(d));
    await new Promise((r) => ws.once('open', r));
    await waitFor(() => got.length >= 2);
    expect([...got[0]!]).toEqual([0, 8080 & 255, 8080 >> 8]);
    expect([...got[1]!]).toEqual([1, 8080 & 255, 8080 >> 8]);
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(httpGet)]));
    await waitFor(() =>
      Buffer.concat(
        got
          .slice(2)
          .filter((m) => m[0] === 0)
          .map((m) => m.subarray(1)),
      )
        .toString()
        .endsWith('channels'),
    );
    ws.close();
  });
});
