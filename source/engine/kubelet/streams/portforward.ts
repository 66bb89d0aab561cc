import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { KObject } from '../../../api-types/index.ts';
import { servePortForwardSpdy, socketTransport, webSocketTransport, type ResolveTarget } from './portforward-spdy.ts';
import { parsePorts, servePortForwardChannels } from './portforward-ws.ts';
import { SpdySession } from '../../net/spdy.ts';
import { podTarget } from '../../proxy/targets.ts';

export type { ResolveTarget };

const PORTFORWARD = 'portforward.k8s.io';
/** kubectl ≥ 1.31 tunnels SPDY through a WebSocket with this subprotocol. */
const SPDY_TUNNEL = `SPDY/3.1+${PORTFORWARD}`;
// `/` is not allowed in a subprotocol token, so the ws library would refuse the handshake: the
// name is swapped for a token on the way in and restored in the response headers.
const SPDY_TUNNEL_TOKEN = `SPDY-3.1+${PORTFORWARD}`;
const WS_BINARY = 'v4.channel.k8s.io';
const WS_BASE64 = 'v4.base64.channel.k8s.io';

const wss = new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  handleProtocols: (offered) => {
    for (const p of [SPDY_TUNNEL_TOKEN, WS_BINARY, WS_BASE64]) if (offered.has(p)) return p;
    return false;
  },
});
wss.on('headers', (headers: string[]) => {
  const i = headers.indexOf(`Sec-WebSocket-Protocol: ${SPDY_TUNNEL_TOKEN}`);
  if (i >= 0) headers[i] = `Sec-WebSocket-Protocol: ${SPDY_TUNNEL}`;
});

function reject(socket: Duplex, code: number, reason: string, message: string): void {
  const body = JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  });
  socket.end(
    `HTTP/1.1 ${code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Serve an upgrade on `…/pods/NAME/portforward` (the caller has authenticated and found the
 * pod). Speaks what kubectl 1.32 uses — SPDY/3.1 tunnelled in a WebSocket, falling back to a
 * plain SPDY/3.1 upgrade — and the older WebSocket channel protocol. Targets come from
 * `resolveTarget` (default: the pod IP, or the host port the kubelet mapped the port to).
 */
export function handlePortForward(
  pod: KObject,
  query: URLSearchParams,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  resolveTarget: ResolveTarget = podTarget,
): void {
  socket.on('error', () => socket.destroy());
  const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
  if (upgrade === 'websocket') {
    const offered = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((s) => s.trim());
    // Offered names that are not tokens (other tunnelled protocols) are dropped.
    const tokens = offered
      .map((p) => (p === SPDY_TUNNEL ? SPDY_TUNNEL_TOKEN : p))
      .filter((p) => /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(p));
    if (tokens.length) req.headers['sec-websocket-protocol'] = tokens.join(', ');
    else delete req.headers['sec-websocket-protocol'];
    let ports: number[] = [];
    if (!offered.includes(SPDY_TUNNEL)) {
      const parsed = parsePorts(query);
      if (typeof parsed === 'string') return reject(socket, 400, 'BadRequest', parsed);
      ports = parsed;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (ws.protocol === SPDY_TUNNEL_TOKEN) {
        const session = new SpdySession(webSocketTransport(ws));
        ws.on('message', (d: Buffer) => session.push(d));
        ws.on('close', () => session.close());
        ws.on('error', () => session.close());
        servePortForwardSpdy(session, pod, resolveTarget);
      } else {
        servePortForwardChannels(ws, socket, pod, ports, resolveTarget, ws.protocol === WS_BASE64);
      }
    });
    return;
  }
  if (upgrade.startsWith('spdy/3.1')) {
    const versions = String(req.headers['x-stream-protocol-version'] ?? '')
      .split(',')
      .map((s) => s.trim());
    if (!versions.includes(PORTFORWARD)) {
      return reject(
        socket,
        403,
        'Forbidden',
        `unable to upgrade: unable to negotiate protocol: client supports ${JSON.stringify(versions)}, server supports ["${PORTFORWARD}"]`,
      );
    }
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${PORTFORWARD}\r\n\r\n`,
    );
    const session = new SpdySession(socketTransport(socket));
    servePortForwardSpdy(session, pod, resolveTarget);
    if (head.length) session.push(head);
    socket.on('data', (d: Buffer) => session.push(d));
    socket.on('close', () => session.close());
    return;
  }
  reject(socket, 400, 'BadRequest', 'Upgrade request required');
}
