import type { Duplex } from 'node:stream';
import { ApiError, errors } from '../../store/errors.ts';

/** Answer an upgrade request with a Status instead of switching protocols. */
export function rejectUpgrade(socket: Duplex, err: unknown): void {
  const e = err instanceof ApiError ? err : errors.internal(String((err as Error)?.message ?? err));
  const body = JSON.stringify(e.toStatus());
  socket.end(
    `HTTP/1.1 ${e.code} ${e.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
