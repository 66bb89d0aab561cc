/**
 * What the traffic prompt takes: `30` (a burst of 30 requests) or a sustained load, `20/s for 60s`
 * (also `20/s 60s`, `20/s for 2m`): that rate, for that long.
 */
export type LoadSpec = { kind: 'burst'; count: number } | { kind: 'sustained'; rate: number; seconds: number };

export const MAX_BURST = 10_000;
export const MAX_RATE = 200;
export const MAX_SECONDS = 3600;

export function parseLoad(text: string): LoadSpec | string {
  const s = text.trim().toLowerCase();
  if (/^\d+$/.test(s)) {
    const count = Number(s);
    return count >= 1 && count <= MAX_BURST
      ? { kind: 'burst', count }
      : `Enter a number of requests from 1 to ${MAX_BURST}`;
  }
  const m = /^(\d+)\s*\/\s*s\s+(?:for\s+)?(\d+)\s*(s|m)?$/.exec(s);
  if (!m) return 'Enter a count (30) or a rate and a time (20/s for 60s)';
  const rate = Number(m[1]);
  const seconds = Number(m[2]) * (m[3] === 'm' ? 60 : 1);
  if (rate < 1 || rate > MAX_RATE) return `Enter a rate from 1 to ${MAX_RATE} requests/s`;
  if (seconds < 1 || seconds > MAX_SECONDS) return `Enter a time from 1 s to ${MAX_SECONDS / 60} min`;
  return { kind: 'sustained', rate, seconds };
}
