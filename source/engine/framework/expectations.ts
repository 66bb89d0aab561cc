import type { Clock } from '../clock.ts';
import { timeScale } from './time-scale.ts';

/**
 * Expected creations/deletions per controller key, so that a controller does not act twice on
 * the same gap while its own writes are still on their way back through the watch. Entries
 * expire after 5 minutes like upstream's, so a lost event never wedges a controller.
 */
export class Expectations {
  private m = new Map<string, { add: number; del: number; at: number }>();
  private ttlMs: number;
  constructor(
    private clock: Clock,
    ttlMs = 5 * 60_000,
  ) {
    this.ttlMs = ttlMs * timeScale(clock);
  }

  expect(key: string, add: number, del: number): void {
    this.m.set(key, { add, del, at: this.clock.now() });
  }
  observedAdd(key: string): void {
    const e = this.m.get(key);
    if (e && e.add > 0) e.add--;
  }
  observedDelete(key: string): void {
    const e = this.m.get(key);
    if (e && e.del > 0) e.del--;
  }
  /** A create or delete that failed will never be observed. */
  lowered(key: string, add: number, del: number): void {
    const e = this.m.get(key);
    if (!e) return;
    e.add = Math.max(0, e.add - add);
    e.del = Math.max(0, e.del - del);
  }
  satisfied(key: string): boolean {
    const e = this.m.get(key);
    if (!e) return true;
    return (e.add <= 0 && e.del <= 0) || this.clock.now() - e.at > this.ttlMs;
  }
  delete(key: string): void {
    this.m.delete(key);
  }
}
