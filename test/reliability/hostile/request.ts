/** One generated hostile request. */
export interface HostileRequest {
  category: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  /** Bytes sent as-is over a TLS connection instead (TOKEN is replaced by the engine's token). */
  raw?: string;
}

export const JSON_CT = { 'Content-Type': 'application/json' };

export function req(
  category: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: Buffer | string,
): HostileRequest {
  return { category, method, path, headers, body };
}
