import type { TableSnapshot } from '../client/table-cache.ts';
import { nextJobRetry, retryText } from '../describe/job-backoff.ts';
import type { RowSource } from './sources.ts';

/**
 * The pods of a Job (an `enter` on a job) with the countdown of its next retry in the title: while
 * the Job waits out its back-off, the notice reads `next retry in 7s (back-off 10s after 1 failure)`
 * and is re-published every second. Derived from the pods' finish times, as the controller does.
 */
export class JobRetrySource implements RowSource {
  private last?: { pods: TableSnapshot; job: TableSnapshot; second: number; out: TableSnapshot };
  private listeners = new Set<() => void>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly pods: RowSource,
    /** The Job itself (a one-object list with full objects). */
    private readonly job: RowSource,
    private readonly now: () => number,
    /** The engine's time scale (see client/engine-clock.ts). */
    private readonly timeScale: () => number = () => 1,
  ) {}

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    const a = this.pods.subscribe(fn);
    const b = this.job.subscribe(fn);
    return () => {
      this.listeners.delete(fn);
      a();
      b();
      if (!this.listeners.size) this.stopTicking();
    };
  };

  getSnapshot = (): TableSnapshot => {
    const pods = this.pods.getSnapshot();
    const job = this.job.getSnapshot();
    const now = this.now();
    const second = Math.floor(now / 1000);
    if (this.last && this.last.pods === pods && this.last.job === job && this.last.second === second)
      return this.last.out;
    const obj = job.rows[0]?.object;
    const retry = obj
      ? nextJobRetry(
          obj,
          pods.rows.map((r) => r.object),
          now,
          this.timeScale(),
        )
      : undefined;
    const out = retry
      ? {
          ...pods,
          notice: pods.notice ?? `next retry ${retryText(retry, now)}`,
          version: pods.version * 1_000_003 + second,
          changes: undefined,
        }
      : pods;
    this.last = { pods, job, second, out };
    if (retry) this.tick();
    else this.stopTicking();
    return out;
  };

  refresh(): void {
    this.pods.refresh?.();
    this.job.refresh?.();
  }

  /** Wake the view every second while a countdown is shown. */
  private tick(): void {
    if (this.timer || !this.listeners.size) return;
    this.timer = setInterval(() => {
      for (const fn of this.listeners) fn();
    }, 1000);
    this.timer.unref?.();
  }

  private stopTicking(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
