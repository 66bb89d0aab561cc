import type { Clock } from '../clock.ts';

export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;

/**
 * The kubelet's per-key exponential back-off (client-go flowcontrol.Backoff without jitter):
 * 10 s doubling to 5 min. A key not bumped for 2 × max (10 min) is forgotten, so a container
 * that ran that long starts again at 10 s. Expiry runs on the clock, so time scaling applies.
 */
export class Backoff {
  private entries = new Map<string, { delay: number; expire: unknown }>();

  constructor(
    private clock: Clock,
    private initial = INITIAL_BACKOFF_MS,
    private max = MAX_BACKOFF_MS,
  ) {}

  /** The current delay of a key, or undefined when it has none (or it expired). */
  get(key: string): number | undefined {
    return this.entries.get(key)?.delay;
  }

  /** Record a failure/restart: first the initial delay, then double, capped. Returns the delay. */
  next(key: string): number {
    const cur = this.entries.get(key);
    if (cur) this.clock.clearTimeout(cur.expire);
    const delay = cur ? Math.min(cur.delay * 2, this.max) : this.initial;
    const expire = this.clock.setTimeout(() => this.entries.delete(key), 2 * this.max);
    this.entries.set(key, { delay, expire });
    return delay;
  }

  delete(key: string): void {
    const cur = this.entries.get(key);
    if (cur) this.clock.clearTimeout(cur.expire);
    this.entries.delete(key);
  }

  /** Forget every key starting with `prefix` (a pod's). */
  deletePrefix(prefix: string): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.delete(k);
  }

  dispose(): void {
    for (const k of [...this.entries.keys()]) this.delete(k);
  }
}
