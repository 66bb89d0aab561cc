import type { KObject } from '../../api-types/index.ts';
import type { Clock } from '../clock.ts';
import type { Component, EngineContext } from '../context.ts';
import type { Store, StoreEvent, WatchHandle } from '../store/store.ts';

const BATCH_MS = 15;
const BASE_BACKOFF_MS = 5;
const MAX_BACKOFF_MS = 1000_000;

/**
 * Wall time per unit of engine delay: RealClock's time scale (1 for other clocks). Timers are
 * scaled by the clock, timestamps are not, so a duration read from timestamps (lease age, ready
 * since, progress deadline) is compared against `seconds * 1000 * timeScale(clock)`.
 */
export function timeScale(clock: Clock): number {
  const s = (clock as { scale?: unknown }).scale;
  return typeof s === 'number' && s > 0 ? s : 1;
}

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

/**
 * Expected creations/deletions per controller key, so that a controller does not act twice on
 * the same gap while its own writes are still on their way back through the watch. Entries
 * expire after 5 minutes like upstream's, so a lost event never wedges a controller.
 */
export class Expectations {
  private m = new Map<string, { add: number; del: number; at: number }>();
  private ttlMs: number;
  constructor(private clock: Clock, ttlMs = 5 * 60_000) {
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

/** A local cache of one resource with secondary indexes, fed by a store watch. */
export class Cache {
  private objs = new Map<string, KObject>();
  private idx = new Map<string, Map<string, Map<string, KObject>>>();

  constructor(private indexers: Record<string, (o: KObject) => string[]> = {}) {
    for (const name of Object.keys(indexers)) this.idx.set(name, new Map());
  }

  apply(ev: StoreEvent): void {
    const k = objKey(ev.object);
    const prev = this.objs.get(k);
    if (prev) this.unindex(k, prev);
    if (ev.type === 'DELETED') this.objs.delete(k);
    else {
      this.objs.set(k, ev.object);
      this.index(k, ev.object);
    }
  }

  get(namespace: string | undefined, name: string): KObject | undefined {
    return this.objs.get(`${namespace ?? ''}/${name}`);
  }

  by(index: string, value: string): KObject[] {
    const m = this.idx.get(index)?.get(value);
    return m ? [...m.values()] : [];
  }

  all(): IterableIterator<KObject> {
    return this.objs.values();
  }

  private index(k: string, o: KObject): void {
    for (const [name, fn] of Object.entries(this.indexers)) {
      const byValue = this.idx.get(name)!;
      for (const v of fn(o)) {
        let set = byValue.get(v);
        if (!set) byValue.set(v, (set = new Map()));
        set.set(k, o);
      }
    }
  }

  private unindex(k: string, o: KObject): void {
    for (const [name, fn] of Object.entries(this.indexers)) {
      const byValue = this.idx.get(name)!;
      for (const v of fn(o)) {
        const set = byValue.get(v);
        set?.delete(k);
        if (set && set.size === 0) byValue.delete(v);
      }
    }
  }
}

export function objKey(o: KObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

export function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

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
    this.queue = new WorkQueue(ctx.clock, (k) => this.sync(k), (k, e) => ctx.log(`${this.name}: sync ${k} failed: ${(e as Error)?.message ?? e}`));
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
