// apimachinery `duration.HumanDuration` and the printers' `translateTimestampSince`.

/** Go's zero `time.Time` (0001-01-01T00:00:00Z) in epoch ms: `IsZero()` timestamps print as `<unknown>`. */
const GO_ZERO_TIME_MS = -62135596800000;

/** Epoch ms of an RFC3339 timestamp, or NaN when it is missing, unparsable or Go's zero time. */
export function timestampMs(ts: unknown): number {
  if (typeof ts !== 'string' || ts === '') return NaN;
  const ms = Date.parse(ts);
  return ms === GO_ZERO_TIME_MS ? NaN : ms;
}

/** `HumanDuration` for a duration in milliseconds: `45s`, `3m20s`, `5h`, `2d3h`, `1y30d`, `<invalid>`. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  // Up to 2s in the future is tolerated as clock skew.
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const dy = days % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

/** Age of a timestamp at `now` (epoch ms); `<unknown>` when the timestamp is missing or zero. */
export function translateTimestampSince(ts: unknown, now: number): string {
  const ms = timestampMs(ts);
  return Number.isNaN(ms) ? '<unknown>' : humanDuration(now - ms);
}
