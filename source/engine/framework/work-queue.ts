import type { Clock } from '../clock.ts';

const BATCH_MS = 15;
const BASE_BACKOFF_MS = 5;
const MAX_BACKOFF_MS = 1000_000;

/**
 * A de-duplicating FIFO of keys handled one at a time. Keys are processed in batches from
 * setImmediate so that a burst of watch events never blocks the event loop and a handler never
 * runs inside the store's watch delivery. Failed keys come back with exponential back-off;
 * delayed keys (enqueueAfter) wait on the injected clock.
 */
export class WorkQueue {
  private items: string[] = [];
  private head = 0;
  private queued = new Set<string>();
  private failures = new Map<string, number>();
  private delayed = new Map<string, { at: number; handle: unknown }>();
  private scheduled = false;
  private running = false;
  private stopped = false;

  constructor(
    private clock: Clock,
    private handler: (key: string) => void | Promise<void>,
    private onError: (key: string, err: unknown) => void = () => {},
  ) {}

  add(key: string): void {
    if (this.stopped || this.queued.has(key)) return;
    this.queued.add(key);
    this.items.push(key);
    this.schedule();
  }

  /** Add the key after `ms` (clock time); an earlier pending delay for the key wins. */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) return this.add(key);
    const at = this.clock.now() + ms;
    const cur = this.delayed.get(key);
    if (cur && cur.at <= at) return;
    if (cur) this.clock.clearTimeout(cur.handle);
    const handle = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, handle });
  }

  /** Requeue with exponential back-off (5 ms doubling, like client-go's default limiter). */
  addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.addAfter(key, Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** n));
  }

  /** Nothing queued or running (delayed keys don't count). */
  idle(): boolean {
    return !this.running && !this.scheduled && this.queued.size === 0;
  }

  stop(): void {
    this.stopped = true;
    for (const d of this.delayed.values()) this.clock.clearTimeout(d.handle);
    this.delayed.clear();
    this.items = [];
    this.head = 0;
    this.queued.clear();
  }

  private schedule(): void {
    if (this.scheduled || this.running || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => void this.run());
  }

  private async run(): Promise<void> {
    this.scheduled = false;
    if (this.stopped) return;
    this.running = true;
    const deadline = performance.now() + BATCH_MS;
    try {
      while (this.head < this.items.length && !this.stopped) {
        const key = this.items[this.head++]!;
        this.queued.delete(key);
        try {
          await this.handler(key);
          this.failures.delete(key);
        } catch (err) {
          this.onError(key, err);
          this.addRateLimited(key);
        }
        if (performance.now() > deadline) break;
      }
    } finally {
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      this.running = false;
      if (this.head < this.items.length) this.schedule();
    }
  }
}
