// The shell's WebSocket keep-alive against real ws servers on loopback: one that answers pings
// (as the engine and kube-apiserver do) stays up through silence; one that stops answering —
// what a dead connection after sleep looks like from the client — is detected and closed.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { keepAlive } from '../../source/client/ws-keepalive.ts';

const servers: WebSocketServer[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function serve(autoPong: boolean): Promise<{ url: string; pings: () => number }> {
  let pings = 0;
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong });
  servers.push(wss);
  wss.on('connection', (sock) => sock.on('ping', () => pings++));
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const { port } = wss.address() as { port: number };
  return { url: `ws://127.0.0.1:${port}`, pings: () => pings };
}

async function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

describe('WebSocket keep-alive', () => {
  it('pings while the stream is quiet and keeps a connection the server answers', async () => {
    const srv = await serve(true);
    const ws = await open(srv.url);
    let dead = false;
    keepAlive(ws, { intervalMs: 50, deadMs: 300, onDead: () => (dead = true) });
    await new Promise((r) => setTimeout(r, 800));
    expect(dead).toBe(false);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(srv.pings()).toBeGreaterThanOrEqual(5);
    ws.close();
  });

  it('a server that stops answering is detected: the socket is closed and the silence reported', async () => {
    const srv = await serve(false);
    const ws = await open(srv.url);
    const closed = new Promise<void>((r) => ws.once('close', () => r()));
    let silentMs = 0;
    keepAlive(ws, { intervalMs: 50, deadMs: 300, onDead: (ms) => (silentMs = ms) });
    await closed;
    expect(silentMs).toBeGreaterThanOrEqual(300);
    expect(srv.pings()).toBeGreaterThan(0);
  });
});
