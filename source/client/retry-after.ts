/** Milliseconds to wait from a `Retry-After` header (seconds or an HTTP date); undefined if absent. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  const secs = Number(v.trim());
  if (Number.isFinite(secs)) return Math.max(0, secs) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Statuses a client waits out and retries, as client-go does: 429 always, 5xx when the server says when. */
export function isRetryable(code: number, retryAfterMs: number | undefined): boolean {
  return code === 429 || (code >= 500 && retryAfterMs !== undefined);
}

/** Bounds a server's wait so a wrong header cannot freeze a view for an hour. */
export const MAX_RETRY_AFTER_MS = 60_000;
