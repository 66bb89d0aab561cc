import type { Clock } from '../clock.ts';

/**
 * Wall time per unit of engine delay: RealClock's time scale (1 for other clocks). Timers are
 * scaled by the clock, timestamps are not, so a duration read from timestamps (lease age, ready
 * since, progress deadline) is compared against `seconds * 1000 * timeScale(clock)`.
 */
export function timeScale(clock: Clock): number {
  const s = (clock as { scale?: unknown }).scale;
  return typeof s === 'number' && s > 0 ? s : 1;
}
