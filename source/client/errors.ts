import type { Status } from '../api-types/index.ts';

/** An HTTP or network failure talking to the API server, with a message fit for a toast. */
export class KubeError extends Error {
  readonly code: number;
  readonly reason?: string;
  readonly status?: Status;
  /** The server's `Retry-After`, in ms, when it sent one (429, 503). */
  retryAfterMs?: number;

  constructor(message: string, code: number, reason?: string, status?: Status) {
    super(message);
    this.name = 'KubeError';
    this.code = code;
    this.reason = reason;
    this.status = status;
  }

  static fromResponse(code: number, body: string, retryAfterMs?: number): KubeError {
    const err = KubeError.parse(code, body);
    // A Status may carry the wait as details.retryAfterSeconds when the header was lost.
    const detail = err.status?.details?.retryAfterSeconds;
    err.retryAfterMs = retryAfterMs ?? (typeof detail === 'number' ? detail * 1000 : undefined);
    return err;
  }

  private static parse(code: number, body: string): KubeError {
    try {
      const parsed = JSON.parse(body);
      if (parsed && parsed.kind === 'Status') {
        return new KubeError(parsed.message || `HTTP ${code}`, parsed.code || code, parsed.reason, parsed);
      }
    } catch {
      // not JSON: fall through
    }
    const text = body.trim().slice(0, 200);
    return new KubeError(text ? `HTTP ${code}: ${text}` : `HTTP ${code}`, code);
  }

  /** Network-level failures (refused, reset, DNS, timeout) have code 0. */
  static fromNetwork(err: unknown, server: string): KubeError {
    const e = err as NodeJS.ErrnoException;
    const why =
      e?.code === 'ECONNREFUSED'
        ? 'connection refused'
        : e?.code === 'ENOTFOUND'
          ? 'host not found'
          : e?.code === 'ETIMEDOUT' || e?.name === 'TimeoutError'
            ? 'timed out'
            : e?.code === 'ECONNRESET'
              ? 'connection reset'
              : e?.message || String(err);
    return new KubeError(`cannot reach ${server}: ${why}`, 0, e?.code);
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
