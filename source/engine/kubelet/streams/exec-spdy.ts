import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KObject } from '../../../api-types/index.ts';
import { socketTransport } from './portforward-spdy.ts';
import { SpdySession, type SpdyStream } from '../../net/spdy.ts';
import type { Runtime } from '../../runtime/index.ts';
import { errors } from '../../store/errors.ts';
import { runExec, type ExecRequest } from './exec.ts';
import type { StreamRunner } from './exec-ws.ts';

const PROTOCOL = 'v4.channel.k8s.io';
const STREAMS_TIMEOUT_MS = 30_000;

/**
 * exec (or attach) over SPDY/3.1 (kubectl ≤ 1.29, and newer ones when the WebSocket upgrade fails): the
 * client opens one stream per channel (`streamType` error, stdin, stdout, stderr, resize); the
 * Status goes on the error stream.
 */
export function serveExecSpdy(
  rt: Runtime,
  pod: KObject,
  exec: ExecRequest,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  run: StreamRunner = runExec,
): void {
  const offered = ([] as string[])
    .concat(req.headers['x-stream-protocol-version'] ?? [])
    .flatMap((v) => v.split(','))
    .map((s) => s.trim());
  if (!offered.includes(PROTOCOL)) {
    throw errors.forbidden(
      `unable to upgrade: unable to negotiate protocol: client supports ${JSON.stringify(offered)}, server supports ["${PROTOCOL}"]`,
    );
  }
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${PROTOCOL}\r\n\r\n`,
  );
  const session = new SpdySession(socketTransport(socket));
  session.on('error', () => {});
  socket.on('data', (d: Buffer) => session.push(d));
  socket.on('close', () => session.close());
  socket.on('error', () => session.close());
  const wanted = [
    'error',
    exec.stdin && 'stdin',
    exec.stdout && 'stdout',
    exec.stderr && !exec.tty && 'stderr',
    exec.tty && 'resize',
  ].filter(Boolean) as string[];
  const streams = new Map<string, SpdyStream>();
  const timer = setTimeout(() => session.close(), STREAMS_TIMEOUT_MS);
  timer.unref();
  let started = false;
  session.on('stream', (s: SpdyStream) => {
    s.on('error', () => {});
    streams.set(s.headers['streamtype'] ?? '', s);
    if (!started && wanted.every((w) => streams.has(w))) {
      started = true;
      clearTimeout(timer);
      start(rt, pod, exec, streams, session, run);
    }
  });
  if (head.length) session.push(head);
}

function start(
  rt: Runtime,
  pod: KObject,
  exec: ExecRequest,
  streams: Map<string, SpdyStream>,
  session: SpdySession,
  run: StreamRunner,
): void {
  const ctl = run(rt, pod, exec, {
    out: (channel, data) => streams.get(channel === 1 ? 'stdout' : 'stderr')?.write(data),
    done: (status) => {
      streams.get('stdout')?.end();
      streams.get('stderr')?.end();
      const error = streams.get('error')!;
      error.end(JSON.stringify(status));
      // The client hangs up once it has read the status; do not wait for ever.
      setTimeout(() => session.close(), 5000).unref();
    },
  });
  const stdin = streams.get('stdin');
  stdin?.on('data', (d: Buffer) => ctl.stdin(d));
  stdin?.on('end', () => ctl.stdinEnd());
  let pending = '';
  streams.get('resize')?.on('data', (d: Buffer) => {
    pending += d.toString();
    let i: number;
    while ((i = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, i);
      pending = pending.slice(i + 1);
      try {
        const size = JSON.parse(line);
        ctl.resize(Number(size.Width), Number(size.Height));
      } catch {
        // ignore a malformed size
      }
    }
  });
  session.on('close', () => ctl.kill());
}
