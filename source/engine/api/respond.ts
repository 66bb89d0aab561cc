import type { ServerResponse } from 'node:http';
import { ApiError, errors } from '../store/errors.ts';
import { escapeHtml } from '../store/stored-json.ts';

const pretty = new WeakSet<ServerResponse>();

/** `?pretty=true`: this response's JSON is indented, as the apiserver's MarshalIndent writes it. */
export function markPretty(res: ServerResponse): void {
  pretty.add(res);
}

export function isPretty(res: ServerResponse): boolean {
  return pretty.has(res);
}

/**
 * JSON text as Go's json.Encoder writes it, which is what the apiserver sends: `<`, `>`, `&`,
 * U+2028 and U+2029 escaped, and a trailing newline (MarshalIndent for `pretty` has none).
 * Some clients compare Status bodies byte for byte.
 */
export function goJson(text: string, res?: ServerResponse): string {
  if (res && pretty.has(res)) return escapeHtml(JSON.stringify(JSON.parse(text), null, 2));
  return `${escapeHtml(text)}\n`;
}

/** Send already-serialized JSON (lists are stringified by hand). */
export function sendRawJson(res: ServerResponse, code: number, json: string, contentType = 'application/json'): void {
  const data = goJson(json, res);
  res.writeHead(code, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(data),
    'Cache-Control': 'no-cache, private',
  });
  res.end(data);
}

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  sendRawJson(res, code, JSON.stringify(body), contentType);
}

/** A Status as a whole raw HTTP/1.1 response, for sockets without a ServerResponse (upgrades, parse errors). */
export function rawStatusResponse(e: ApiError): string {
  const body = goJson(JSON.stringify(e.toStatus()));
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
