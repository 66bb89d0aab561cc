import { parseTime } from '../../describe/age.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

/**
 * The step in which humanDuration's text for an age of `ms` can next change: seconds up to ten
 * minutes ("9m59s"), minutes up to eight hours, hours up to eight days, days after that. Each
 * format's range ends on a multiple of its step, so the next multiple of the step is never later
 * than the next change.
 */
function step(ms: number): number {
  if (ms < 10 * M) return S;
  if (ms < 8 * H) return M;
  if (ms < 8 * D) return H;
  return D;
}

/** Milliseconds from `now` until `since(timestamp, now)` may read differently (at least 1). */
export function msUntilAgeChanges(timestamp: string | null | undefined, now: number): number {
  const t = parseTime(timestamp);
  if (t === undefined) return Infinity; // "<unknown>" never changes
  const age = now - t;
  if (age < 0) return Math.max(1, -age); // "0s" until the clock catches up
  const s = step(age);
  return s - (age % s);
}
