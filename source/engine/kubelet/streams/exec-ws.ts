import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { KObject } from '../../../api-types/index.ts';
import { closeWebSocket } from '../../net/ws-close.ts';
import type { Runtime } from '../../runtime/index.ts';
import { runExec, type ExecControl, type ExecRequest, type ExecSink } from './exec.ts';

export type StreamRunner = (rt: Runtime, pod: KObject, req: ExecRequest, sink: ExecSink) => ExecControl;
import { CLOSE, ERROR, RESIZE, STDIN, decodeFrame, encodeFrame, pickProtocol } from './stream-protocol.ts';

const wss = new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  handleProtocols: (offered) => pickProtocol(offered),
});

/** Whether the request offers a channel protocol we speak (else kubectl falls back to SPDY). */
export function offersChannelProtocol(req: IncomingMessage): boolean {
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((s) => s.trim());
  return !!pickProtocol(new Set(offered));
}

/** exec (or attach, with `run`) over a WebSocket: binary (or base64) frames whose first byte is the channel. */
export function serveExecWebSocket(
  rt: Runtime,
  pod: KObject,
  exec: ExecRequest,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  run: StreamRunner = runExec,
): void {
  wss.handleUpgrade(req, socket, head, (ws) => {
    const proto = ws.protocol;
    const send = (channel: number, data: Buffer | string) => {
      if (ws.readyState === ws.OPEN) ws.send(encodeFrame(proto, channel, data));
    };
    const ctl = run(rt, pod, exec, {
      out: (channel, data) => send(channel, data),
      done: (status) => {
        send(ERROR, JSON.stringify(status));
        closeWebSocket(ws, socket);
      },
    });
    ws.on('message', (msg: Buffer) => {
      const frame = decodeFrame(proto, msg);
      if (!frame) return;
      if (frame.channel === STDIN) ctl.stdin(frame.data);
      else if (frame.channel === RESIZE) {
        try {
          const size = JSON.parse(frame.data.toString());
          ctl.resize(Number(size.Width), Number(size.Height));
        } catch {
          // ignore a malformed size
        }
      } else if (frame.channel === CLOSE && frame.data[0] === STDIN) ctl.stdinEnd();
    });
    ws.on('close', () => ctl.kill());
    ws.on('error', () => ctl.kill());
  });
}
