import net from 'node:net';
import WebSocket from 'ws';
import { connectWebSocket } from './exec.ts';
import { KubeError } from './errors.ts';
import type { Transport } from './transport.ts';

/** Where a connection goes: a pod and one of its ports (a service forward resolves it per connection). */
export interface ForwardTarget {
  namespace: string;
  pod: string;
  port: number;
}

export interface ForwardStats {
  /** Bytes sent to the pod and received from it. */
  bytesOut: number;
  bytesIn: number;
  /** Connections open now and accepted since the start. */
  active: number;
  total: number;
  /** The pod the last connection went to. */
  pod?: string;
  /** The last failure (pod gone, port closed), cleared by the next good connection. */
  error?: string;
}

export interface PortForward {
  readonly address: string;
  /** The local port actually bound (differs from the asked one when 0 was asked). */
  readonly localPort: number;
  readonly stats: ForwardStats;
  /** Called after every change of the stats (at most once per chunk). */
  onChange(fn: () => void): void;
  stop(): Promise<void>;
}

export interface ForwardOptions {
  address: string;
  localPort: number;
  /** Picks the pod and port for each new connection; throws with a message when there is none. */
  resolve: () => Promise<ForwardTarget>;
}

/** Addresses a forward may listen on without the user asking for more: the loopback ones. */
export function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || /^127\.\d+\.\d+\.\d+$/.test(address);
}

/**
 * `kubectl port-forward`: a local TCP listener; each accepted connection opens its own
 * `pods/NAME/portforward` WebSocket (`v4.channel.k8s.io`: channel 0 data, channel 1 errors,
 * each channel's first frame the port as two little-endian bytes).
 */
export async function startPortForward(t: Transport, opts: ForwardOptions): Promise<PortForward> {
  const stats: ForwardStats = { bytesOut: 0, bytesIn: 0, active: 0, total: 0 };
  const listeners: Array<() => void> = [];
  const changed = () => listeners.forEach((fn) => fn());
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    stats.active++;
    stats.total++;
    changed();
    sock.once('close', () => {
      sockets.delete(sock);
      stats.active--;
      changed();
    });
    void relay(t, opts, sock, stats, changed);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(err.code === 'EADDRINUSE' ? `${opts.address}:${opts.localPort} is already in use` : err.message),
      ),
    );
    server.listen(opts.localPort, opts.address, () => resolve());
  });
  const addr = server.address();
  return {
    address: opts.address,
    localPort: typeof addr === 'object' && addr ? addr.port : opts.localPort,
    stats,
    onChange: (fn) => listeners.push(fn),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function relay(
  t: Transport,
  opts: ForwardOptions,
  sock: net.Socket,
  stats: ForwardStats,
  changed: () => void,
): Promise<void> {
  sock.pause();
  let target: ForwardTarget;
  let ws: WebSocket;
  try {
    target = await opts.resolve();
    ws = await openPortForwardSocket(t, target);
  } catch (err) {
    stats.error = err instanceof Error ? err.message : String(err);
    changed();
    sock.destroy();
    return;
  }
  if (sock.destroyed) return ws.close();
  stats.pod = target.pod;
  stats.error = undefined;
  changed();
  // The first frame of each channel is the port it belongs to, not data.
  const seenPort = [false, false];
  ws.on('message', (raw: Buffer) => {
    if (raw.length === 0) return;
    const ch = raw[0]!;
    let data = raw.subarray(1);
    if (ch > 1) return;
    if (!seenPort[ch]) {
      seenPort[ch] = true;
      data = data.subarray(2);
    }
    if (!data.length) return;
    if (ch === 0) {
      stats.bytesIn += data.length;
      sock.write(data);
      changed();
    } else {
      stats.error = data.toString('utf8');
      changed();
      sock.destroy();
    }
  });
  ws.on('close', () => sock.end());
  ws.on('error', () => sock.destroy());
  sock.on('data', (d: Buffer) => {
    if (ws.readyState !== WebSocket.OPEN) return;
    stats.bytesOut += d.length;
    ws.send(Buffer.concat([Buffer.from([0]), d]));
    changed();
  });
  sock.on('close', () => ws.close());
  sock.on('error', () => ws.close());
  sock.resume();
}

async function openPortForwardSocket(t: Transport, target: ForwardTarget): Promise<WebSocket> {
  const url = t.url(
    `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/pods/${encodeURIComponent(target.pod)}/portforward`,
    {
      ports: target.port,
    },
  );
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  // The same connection as exec's (credentials, TLS, the transport's agent and so its proxy).
  return connectWebSocket(t, url, ['v4.channel.k8s.io']);
}
