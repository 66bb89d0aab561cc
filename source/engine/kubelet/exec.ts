import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { KObject } from '../../api-types/index.ts';
import { ExecError, type ExecSession, type Runtime } from '../runtime/index.ts';
import { errors } from '../store/errors.ts';
import type { ContainerStatus } from './pod-status.ts';
import { pickContainer, storedStatus } from './select-container.ts';
import { CLOSE, ERROR, RESIZE, STDERR, STDIN, STDOUT, decodeFrame, encodeFrame, exitStatus, pickProtocol } from './stream-protocol.ts';

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: (offered) => pickProtocol(offered) });

export interface ExecRequest {
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** Parse and check an exec request; a refusal is an ApiError (400) answered before any upgrade. */
export function parseExec(pod: KObject, query: URLSearchParams, live: ContainerStatus | undefined): ExecRequest {
  const flag = (n: string) => ['true', '1'].includes(query.get(n) ?? '');
  const container = pickContainer(pod, query.get('container'));
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw errors.badRequest(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  const command = query.getAll('command');
  if (command.length === 0) throw errors.badRequest('you must specify at least 1 command');
  const req = { container, command, stdin: flag('stdin'), stdout: flag('stdout'), stderr: flag('stderr'), tty: flag('tty') };
  if (!req.stdin && !req.stdout && !req.stderr) throw errors.badRequest('you must specify at least 1 of stdin, stdout, stderr');
  const status = live ?? storedStatus(pod, container);
  if (!status?.state?.running) throw errors.badRequest(`container not found ("${container}")`);
  return req;
}

/** Upgrade to a WebSocket and run the command in the container, streaming its channels. */
export function serveExec(rt: Runtime, pod: KObject, exec: ExecRequest, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const protocols = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((s) => s.trim());
  if (String(req.headers.upgrade ?? '').toLowerCase() !== 'websocket' || !pickProtocol(new Set(protocols))) {
    throw errors.badRequest(`unable to upgrade: skiff supports exec over WebSocket with the subprotocols v5.channel.k8s.io and v4.channel.k8s.io`);
  }
  wss.handleUpgrade(req, socket, head, (ws) => run(rt, pod, exec, ws));
}

function run(rt: Runtime, pod: KObject, exec: ExecRequest, ws: WebSocket): void {
  const proto = ws.protocol;
  const send = (channel: number, data: Buffer | string) => {
    if (ws.readyState === ws.OPEN) ws.send(encodeFrame(proto, channel, data));
  };
  const finish = (status: object) => {
    send(ERROR, JSON.stringify(status));
    ws.close(1000);
  };
  let session: ExecSession;
  try {
    session = rt.exec({ podUid: pod.metadata.uid!, container: exec.container, command: exec.command, tty: exec.tty, stdin: exec.stdin });
  } catch (e) {
    const why = e instanceof ExecError ? e.message : String((e as Error)?.message ?? e);
    const message = `Internal error occurred: error executing command in container: failed to exec in container: ${why}`;
    return finish({ metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500, details: { causes: [{ message: why }] } });
  }
  const outputs: Promise<void>[] = [];
  const pipe = (stream: NodeJS.ReadableStream | null, channel: number, wanted: boolean) => {
    if (!stream) return;
    outputs.push(
      new Promise((resolve) => {
        stream.on('data', (d: Buffer) => wanted && send(channel, d));
        stream.once('end', resolve);
        stream.once('close', resolve);
        stream.once('error', resolve);
      }),
    );
  };
  pipe(session.stdout, STDOUT, exec.stdout || exec.tty);
  pipe(session.stderr, STDERR, exec.stderr);
  ws.on('message', (msg: Buffer) => {
    const frame = decodeFrame(proto, msg);
    if (!frame) return;
    if (frame.channel === STDIN) session.stdin?.write(frame.data);
    else if (frame.channel === RESIZE) {
      try {
        const size = JSON.parse(frame.data.toString());
        if (size.Width > 0 && size.Height > 0) session.resize(size.Width, size.Height);
      } catch {
        // ignore a malformed size
      }
    } else if (frame.channel === CLOSE && frame.data[0] === STDIN) session.stdin?.end();
  });
  ws.on('close', () => session.kill());
  ws.on('error', () => session.kill());
  void session.exited.then(async ({ exitCode }) => {
    // Let the last output reach the client before the status.
    await Promise.race([Promise.all(outputs), new Promise((r) => setTimeout(r, 2000))]);
    finish(exitStatus(exec.command, exitCode));
  });
}
