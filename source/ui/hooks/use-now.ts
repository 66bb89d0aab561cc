import { useEffect, useState } from 'react';

/**
 * The current time, refreshed every `ms` while enabled, but only re-rendering when `key(now)`
 * changes (for example the AGE strings of the visible rows), so an idle screen stays idle.
 */
export function useNow(enabled: boolean, key: (now: number) => string, ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!enabled) return;
    let lastKey = key(Date.now());
    const timer = setInterval(() => {
      const t = Date.now();
      const k = key(t);
      if (k !== lastKey) {
        lastKey = k;
        setNow(t);
      }
    }, ms);
    return () => clearInterval(timer);
  }, [enabled, key, ms]);
  return now;
}
