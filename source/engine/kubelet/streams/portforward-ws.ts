import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { KObject } from '../../../api-types/index.ts';
import { connectLoopback } from '../../net/loopback.ts';
import type { ResolveTarget } from './portforward-spdy.ts';
import { closeWebSocket } from '../../net/ws-close.ts';

/** `?ports=80,443` (the API server's name) or `?port=80&port=443` (the kubelet's). */
export function parsePorts(query: URLSearchParams): number[] | string {
  const raw = [...query.getAll('ports'), ...query.getAll('port')];
  if (raw.length === 0) return 'query parameter "port" is required';
  const out: number[] = [];
  for (const r of raw) {
    for (const p of r.split(',')) {
      const n = Number(p);
      if (!/^\d+$/.test(p) || n < 1 || n > 65535) return `unable to parse "${r}" as a port`;
      out.push(n);
    }
  }
  return out;
}

/**
 * The WebSocket port-forward protocol (`v4.channel.k8s.io`, or `v4.base64.channel.k8s.io`):
 * one connection per asked port, on channels 2i (data) and 2i+1 (errors); each channel starts
 * with the port as two little-endian bytes. Messages carry the channel number first.
 */
export function servePortForwardChannels(
  ws: WebSocket,
  socket: Duplex,
  pod: KObject,
  ports: number[],
  resolve: ResolveTarget,
  base64: boolean,
): void {
  const send = (ch: number, data: Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    if (base64) ws.send(String.fromCharCode(48 + ch) + data.toString('base64'));
    else ws.send(Buffer.concat([Buffer.from([ch]), data]), { binary: true });
  };
  const sockets: Array<Socket | undefined> = [];
  let open = ports.length;
  const done = new Set<number>();
  const doneOne = (i: number) => {
    if (done.has(i)) return;
    done.add(i);
    if (--open === 0) closeWebSocket(ws, socket);
  };
  ports.forEach((port, i) => {
    const le = Buffer.alloc(2);
    le.writeUInt16LE(port);
    send(2 * i, le);
    send(2 * i + 1, le);
  });
  ports.forEach(async (port, i) => {
    const fail = (why: string) => {
      send(
        2 * i + 1,
        Buffer.from(`error forwarding port ${port} to pod ${pod.metadata.name}, uid ${pod.metadata.uid}: ${why}`),
      );
      doneOne(i);
    };
    try {
      const target = await resolve(pod, port);
      if (!target) return fail('pod has no IP address');
      const sock = connectLoopback(target.host, target.port);
      sockets[i] = sock;
      sock.on('data', (d: Buffer) => send(2 * i, d));
      sock.on('error', (e) => fail(e.message));
      // The pod closed its side: this channel protocol has no half-close, so the stream ends
      // (as the kubelet's copy loop returns on EOF).
      sock.on('end', () => doneOne(i));
      sock.on('close', (hadError) => hadError || doneOne(i));
    } catch (e) {
      fail((e as Error).message);
    }
  });
  ws.on('message', (msg: Buffer, isBinary: boolean) => {
    let ch: number;
    let data: Buffer;
    if (isBinary) {
      ch = msg[0]!;
      data = msg.subarray(1);
    } else {
      const text = msg.toString();
      ch = text.charCodeAt(0) - 48;
      data = Buffer.from(text.slice(1), 'base64');
    }
    if (ch % 2 === 0 && data.length) sockets[ch / 2]?.write(data);
  });
  ws.on('close', () => sockets.forEach((s) => s?.destroy()));
  ws.on('error', () => {});
}
