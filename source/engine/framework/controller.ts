import type { Clock } from '../clock.ts';
import type { Component, EngineContext } from '../context.ts';
import type { Store, StoreEvent, WatchHandle } from '../store/store.ts';
import { timeScale } from './time-scale.ts';
import { WorkQueue } from './work-queue.ts';

/**
 * The shape shared by the controllers: watches feed a work queue of keys, `sync(key)` reads the
 * current state from the store and converges it.
 */
export abstract class Controller implements Component {
  abstract readonly name: string;
  protected ctx!: EngineContext;
  protected queue!: WorkQueue;
  private watches: WatchHandle[] = [];
  private timers = new Set<unknown>();
  private active = false;

  start(ctx: EngineContext): void {
    this.ctx = ctx;
    this.active = true;
    this.queue = new WorkQueue(
      ctx.clock,
      (k) => this.sync(k),
      (k, e) => ctx.log(`${this.name}: sync ${k} failed: ${(e as Error)?.message ?? e}`),
    );
    this.init();
  }

  stop(): void {
    this.active = false;
    for (const w of this.watches) w.stop();
    this.watches = [];
    for (const t of this.timers) this.ctx.clock.clearTimeout(t);
    this.timers.clear();
    this.queue?.stop();
  }

  /** Whether the controller has nothing queued (for tests and benchmarks). */
  idle(): boolean {
    return this.queue.idle();
  }

  protected get store(): Store {
    return this.ctx.store;
  }

  protected get clock(): Clock {
    return this.ctx.clock;
  }

  /** See timeScale(). */
  protected get scale(): number {
    return timeScale(this.ctx.clock);
  }

  /** Watch a resource from now on (current objects arrive first as ADDED). */
  protected watch(resource: string, handler: (ev: StoreEvent) => void): void {
    this.watches.push(this.ctx.store.watch(resource, {}, handler));
  }

  /** Call `fn` every `ms` of clock time until stopped. */
  protected every(ms: number, fn: () => void): void {
    const tick = () => {
      this.timers.delete(handle);
      try {
        fn();
      } finally {
        if (this.active) {
          handle = this.ctx.clock.setTimeout(tick, ms);
          this.timers.add(handle);
        }
      }
    };
    let handle = this.ctx.clock.setTimeout(tick, ms);
    this.timers.add(handle);
  }

  protected abstract init(): void;
  protected abstract sync(key: string): void | Promise<void>;
}

/** Run `fn` for each item with at most `size` items per event-loop turn. */
export async function inBatches<T>(items: T[], size: number, fn: (item: T) => void): Promise<void> {
  for (let i = 0; i < items.length; i += size) {
    if (i > 0) await new Promise((r) => setImmediate(r));
    for (const item of items.slice(i, i + size)) fn(item);
  }
}
