import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { assertLoopback } from '../net/loopback.ts';
import type { Listener } from './frontend.ts';
import type { HostPort } from './targets.ts';

/**
 * How long a UDP flow lives without a datagram either way (Linux conntrack's UDP timeout);
 * after that the client's next datagram is a new flow and may go to another endpoint.
 */
export const UDP_IDLE_MS = 30_000;
/** At most this many flows per frontend; the least recently used one goes first. */
export const UDP_MAX_FLOWS = 4096;

interface Flow {
  backend: UdpSocket;
  target: HostPort;
  timer: NodeJS.Timeout;
  /** Datagrams that arrived before the backend socket was connected. */
  queue?: Buffer[];
}

export interface UdpOptions {
  /** The endpoint for a new flow from `clientIP`, or none (the datagram is dropped). */
  pick(clientIP: string): HostPort | undefined;
  idleMs?: number;
  onError?(e: Error): void;
}

/**
 * A UDP frontend as kube-proxy's userspace mode does it: one flow per client address and port,
 * each with its own socket connected to the endpoint picked when the flow began; replies come
 * back from the service's address. A flow ends after `idleMs` without traffic, when its
 * endpoint refuses (ICMP port unreachable), or when its endpoint leaves the service (as
 * kube-proxy clears conntrack entries): the client's next datagram starts a flow to a live one.
 */
export function udpListener(opts: UdpOptions): Listener {
  const idleMs = opts.idleMs ?? UDP_IDLE_MS;
  const flows = new Map<string, Flow>();
  let front: UdpSocket | undefined;

  const end = (key: string) => {
    const f = flows.get(key);
    if (!f) return;
    flows.delete(key);
    clearTimeout(f.timer);
    f.backend.close();
  };

  const touch = (key: string, f: Flow) => {
    f.timer.refresh();
    // Map order is recency order: move the flow to the back.
    flows.delete(key);
    flows.set(key, f);
  };

  const open = (client: RemoteInfo, key: string, target: HostPort): Flow => {
    assertLoopback(target.host, 'connect to');
    const backend = createSocket('udp4');
    const f: Flow = { backend, target, timer: setTimeout(() => end(key), idleMs).unref(), queue: [] };
    backend.on('error', () => end(key));
    backend.on('message', (reply) => {
      if (flows.get(key) !== f) return;
      touch(key, f);
      front?.send(reply, client.port, client.address);
    });
    // Bound to loopback before connecting, so it never listens on 0.0.0.0.
    backend.bind(0, '127.0.0.1', () => {
      backend.connect(target.port, target.host, () => {
        const queued = f.queue ?? [];
        f.queue = undefined;
        for (const m of queued) backend.send(m);
      });
    });
    if (flows.size >= UDP_MAX_FLOWS) end(flows.keys().next().value!);
    flows.set(key, f);
    return f;
  };

  const onMessage = (msg: Buffer, client: RemoteInfo) => {
    const key = `${client.address}:${client.port}`;
    let f = flows.get(key);
    if (!f) {
      const target = opts.pick(client.address);
      if (!target) return;
      try {
        f = open(client, key, target);
      } catch (e) {
        opts.onError?.(e as Error);
        return;
      }
    } else touch(key, f);
    if (f.queue) f.queue.push(msg);
    else f.backend.send(msg);
  };

  return {
    bind: (host, port) =>
      new Promise((resolve, reject) => {
        assertLoopback(host, 'bind');
        const s = createSocket({ type: 'udp4', reuseAddr: false });
        s.once('error', reject);
        s.bind({ address: host, port, exclusive: true }, () => {
          s.off('error', reject);
          s.on('error', (e) => opts.onError?.(e));
          s.on('message', onMessage);
          front = s;
          resolve(s.address().port);
        });
      }),
    prune: (live) => {
      for (const [key, f] of [...flows]) if (!live(f.target)) end(key);
    },
    close: () => {
      for (const key of [...flows.keys()]) end(key);
      try {
        front?.close();
      } catch {
        // Never bound.
      }
      front = undefined;
    },
  };
}
