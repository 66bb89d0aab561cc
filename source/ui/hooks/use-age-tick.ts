import { useEffect, useReducer, useRef } from 'react';

// Timers may fire a little before Date.now() reaches the boundary; wake just after it.
const SLACK_MS = 15;

/**
 * Re-renders when `key(now)` changes (for example the AGE texts of the visible rows), unless
 * `draw(now)` put the change on the screen itself (true) without a render. `nextIn(now)` says how
 * long the key cannot change, so an idle screen sleeps until then: every second while an age reads
 * "5s", once a minute once it reads "12m". `draw` is read at each tick: the latest render's.
 */
export function useAgeTick(
  enabled: boolean,
  key: (now: number) => string,
  nextIn: (now: number) => number,
  draw?: (now: number) => boolean,
): void {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const drawRef = useRef(draw);
  drawRef.current = draw;
  useEffect(() => {
    if (!enabled) return;
    let lastKey = key(Date.now());
    let timer: NodeJS.Timeout | undefined;
    const schedule = (t: number) => {
      const wait = nextIn(t);
      if (!Number.isFinite(wait)) return;
      timer = setTimeout(tick, Math.min(wait + SLACK_MS, 2 ** 31 - 1));
    };
    const tick = () => {
      const t = Date.now();
      const k = key(t);
      if (k !== lastKey) {
        lastKey = k;
        if (!drawRef.current?.(t)) rerender();
      }
      schedule(t);
    };
    schedule(Date.now());
    return () => clearTimeout(timer);
  }, [enabled, key, nextIn]);
}
