import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/**
 * Close as the apiserver does (golang.org/x/net/websocket): a close frame, then the connection
 * itself, without waiting for the peer's close frame. A client that polls the raw socket under
 * TLS (the Python client does) would otherwise sit on a close frame buffered in its TLS layer.
 */
export function closeWebSocket(ws: WebSocket, socket: Duplex): void {
  if (ws.readyState === ws.OPEN) ws.close(1000);
  socket.end();
}
