import type { ServerResponse } from 'node:http';
import { ApiError, errors } from '../store/errors.ts';

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const data = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(data), 'Cache-Control': 'no-cache, private' });
  res.end(data);
}

/** A Status as a whole raw HTTP/1.1 response, for sockets without a ServerResponse (upgrades, parse errors). */
export function rawStatusResponse(e: ApiError): string {
  const body = JSON.stringify(e.toStatus());
  return `HTTP/1.1 ${e.code} ${e.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** Answer with a Status object; anything that is not an ApiError becomes a 500. */
export function sendError(res: ServerResponse, err: unknown): void {
  const api = err instanceof ApiError ? err : errors.internal((err as Error)?.message ?? String(err));
  if (!(err instanceof ApiError)) console.error('internal error:', err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, api.code, api.toStatus());
}
