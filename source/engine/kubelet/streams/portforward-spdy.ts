import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { KObject } from '../../../api-types/index.ts';
import { connectLoopback } from '../../net/loopback.ts';
import { RST_PROTOCOL_ERROR, SpdySession, type SpdyStream, type Transport } from '../../net/spdy.ts';
import type { HostPort } from '../../proxy/targets.ts';

export type ResolveTarget = (pod: KObject, port: number) => HostPort | undefined | Promise<HostPort | undefined>;

const PAIR_TIMEOUT_MS = 30_000;
const WS_HIGH_WATER = 4 << 20;

export function socketTransport(socket: Duplex): Transport {
  return {
    write: (b) => void socket.write(b),
    congested: () => socket.writableNeedDrain,
    onceDrained: (fn) => {
      const done = () => {
        socket.off('drain', done);
        socket.off('close', done);
        fn();
      };
      socket.on('drain', done);
      socket.on('close', done);
    },
    end: () => socket.end(),
  };
}

export function webSocketTransport(ws: WebSocket): Transport {
  return {
    write: (b) => ws.readyState === ws.OPEN && ws.send(b, { binary: true }),
    congested: () => ws.bufferedAmount > WS_HIGH_WATER,
    onceDrained: (fn) => {
      const t = setInterval(() => {
        if (ws.bufferedAmount < WS_HIGH_WATER / 4 || ws.readyState !== ws.OPEN) {
          clearInterval(t);
          fn();
        }
      }, 5);
    },
    end: () => ws.readyState === ws.OPEN && ws.close(1000),
  };
}

/**
 * portforward.k8s.io over SPDY, as the kubelet serves it: for every forwarded connection the
 * client opens an `error` and a `data` stream sharing a requestID; the data stream is spliced to
 * the pod's port, and failures are written on the error stream.
 */
export function servePortForwardSpdy(session: SpdySession, pod: KObject, resolve: ResolveTarget): void {
  const pending = new Map<string, { data?: SpdyStream; error?: SpdyStream; timer: NodeJS.Timeout }>();
  session.on('error', () => {});
  session.on('close', () => {
    for (const p of pending.values()) clearTimeout(p.timer);
    pending.clear();
  });
  session.on('stream', (s: SpdyStream) => {
    s.on('error', () => {});
    const type = s.headers['streamtype'];
    if (type !== 'error' && type !== 'data') return s.reset(RST_PROTOCOL_ERROR);
    // Clients without requestID open the data stream right after its error stream.
    const rid = s.headers['requestid'] || String(type === 'error' ? s.id : s.id - 2);
    let p = pending.get(rid);
    if (!p) {
      const timer = setTimeout(() => {
        pending.delete(rid);
        p?.data?.reset();
        p?.error?.reset();
      }, PAIR_TIMEOUT_MS);
      timer.unref();
      pending.set(rid, (p = { timer }));
    }
    p[type] = s;
    if (p.data && p.error) {
      clearTimeout(p.timer);
      pending.delete(rid);
      void forward(pod, p.data, p.error, resolve);
    }
  });
}

async function forward(pod: KObject, data: SpdyStream, error: SpdyStream, resolve: ResolveTarget): Promise<void> {
  error.resume(); // the client sends nothing on it but its FIN
  const portText = data.headers['port'] ?? '';
  const port = Number(portText);
  let failed = false;
  const fail = (why: string) => {
    if (failed) return;
    failed = true;
    error.end(`error forwarding port ${portText} to pod ${pod.metadata.name}, uid ${pod.metadata.uid}: ${why}`);
    data.end();
    data.resume();
  };
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) return fail(`invalid port "${portText}"`);
  let target: HostPort | undefined;
  let sock: Socket;
  try {
    target = await resolve(pod, port);
    if (!target) return fail('pod has no IP address');
    sock = connectLoopback(target.host, target.port);
  } catch (e) {
    return fail((e as Error).message);
  }
  sock.once('error', (e) => fail(`dial tcp4 ${target!.host}:${target!.port}: ${e.message}`));
  sock.once('connect', () => {
    data.pipe(sock);
    sock.pipe(data);
    // The pod closed its side: the forward is over, as the kubelet's PortForward returning.
    const done = () => failed || error.writableEnded || error.end();
    sock.on('end', done);
    sock.on('close', done);
  });
  data.on('close', () => {
    if (!sock.destroyed) sock.end(() => sock.destroy());
  });
}
