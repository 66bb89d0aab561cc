import type { KObject } from '../api-types/index.ts';
import { rfc3339, type Clock } from './clock.ts';
import { EventCorrelator, type Correlated } from './event-correlator.ts';
import { flat } from './flat.ts';
import type { Store } from './store/store.ts';

export interface EventSource {
  component: string;
  host?: string;
}

/** An event waiting to be written: a new Event, or `count` more of one written before. */
interface Pending extends Correlated {
  ns: string;
  /** The Event's name if it is new (named when it happened, so names sort in that order). */
  name: string;
  involvedObject: Record<string, unknown>;
  type: 'Normal' | 'Warning';
  source: EventSource;
  first: string;
  last: string;
  count: number;
}

/** Events written per second from the queue, and how many may go at once (upstream's kubelet: 50/s, burst 100). */
const RATE = 200;
const BURST = 200;
const DRAIN_MS = 100;
/** Beyond this many distinct pending events, the oldest are dropped (upstream drops past 1,000). */
const MAX_PENDING = 20_000;

/**
 * Writes core/v1 Events the way Kubernetes components do, through upstream's event correlator: a
 * repeated event (same object, reason, message, source) bumps `count` and `lastTimestamp`
 * instead of creating a new one, and past 10 similar events of one object within 10 minutes
 * (same reason, other messages) they are combined into one.
 *
 * Recording is cheap and asynchronous, like the client-go broadcaster: `record` queues, and the
 * queue is written at a bounded rate, folding repeats while they wait — so a burst of 1,000 pods
 * does not write 5,000 Events in the middle of starting them. Reading events (GET, LIST, WATCH)
 * first writes everything queued, so a reader never misses one that was recorded before.
 */
export class EventRecorder {
  private correlator = new EventCorrelator();
  private written = new Map<string, string>(); // correlation key -> name of the Event written for it
  private pending = new Map<string, Pending>();
  private tokens = BURST;
  private lastRefill = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private draining = false;
  private lastStamp = 0n;

  constructor(
    private store: Store,
    private clock: Clock,
  ) {
    store.onRead('events', () => this.flush());
  }

  private nextStamp(): string {
    let t = BigInt(this.clock.now()) * 1_000_000n;
    if (t <= this.lastStamp) t = this.lastStamp + 1n;
    this.lastStamp = t;
    return t.toString(16);
  }

  record(
    obj: KObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: EventSource,
    fieldPath?: string,
  ): void {
    const now = this.clock.now();
    const stamp = rfc3339(now);
    const c = this.correlator.correlate(
      // Array#join makes the key flat (it lives in the correlator's maps for minutes).
      [obj.metadata.uid, fieldPath ?? '', type, reason, source.component, source.host ?? ''].join('\u0000'),
      reason,
      // Messages are built with `+` (a tree of concatenations, ~200 B) and mostly repeat across
      // objects ("Started container c"): one flat string for all, while queued and once written.
      flat(message),
      now,
    );
    const queued = this.pending.get(c.key);
    if (queued) {
      queued.count++;
      queued.last = stamp;
      queued.message = c.message;
      return;
    }
    this.pending.set(c.key, {
      key: c.key,
      reason: c.reason,
      message: c.message,
      ns: obj.metadata.namespace || 'default',
      name: [obj.metadata.name, this.nextStamp()].join('.'),
      involvedObject: this.involved(obj, fieldPath),
      type,
      source: this.sourceOf(source),
      first: stamp,
      last: stamp,
      count: 1,
    });
    if (this.pending.size > MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
    this.schedule();
  }

  /** The last involvedObject made: a container's start records Pulled, Created and Started of one version of its pod. */
  private lastInvolved?: Record<string, unknown>;

  /** The event's involvedObject; queued events about the same object version and field share one (the store copies what it writes). */
  private involved(obj: KObject, fieldPath: string | undefined): Record<string, unknown> {
    const { kind, apiVersion, metadata: m } = obj;
    const last = this.lastInvolved;
    if (
      last &&
      last.uid === m.uid &&
      last.resourceVersion === m.resourceVersion &&
      last.fieldPath === fieldPath &&
      last.name === m.name &&
      last.namespace === m.namespace &&
      last.kind === kind &&
      last.apiVersion === apiVersion
    )
      return last;
    // One literal per shape: a property added later goes to a separate property array (~40 B more
    // for each of up to 20,000 queued events).
    const ref: Record<string, unknown> = fieldPath
      ? {
          kind,
          namespace: m.namespace,
          name: m.name,
          uid: m.uid,
          apiVersion,
          resourceVersion: m.resourceVersion,
          fieldPath,
        }
      : { kind, namespace: m.namespace, name: m.name, uid: m.uid, apiVersion, resourceVersion: m.resourceVersion };
    this.lastInvolved = ref;
    return ref;
  }

  /** Components pass a new source object with each event; queued ones share one (the store copies what it writes). */
  private sources = new Map<string, EventSource>();

  private sourceOf(source: EventSource): EventSource {
    const key = `${source.component}\u0000${source.host ?? ''}`;
    let shared = this.sources.get(key);
    if (!shared) this.sources.set(key, (shared = source));
    return shared;
  }

  /** Write every queued event now (readers, and the engine before it stops). */
  flush(): void {
    this.drain(Infinity);
  }

  /** Write what is queued and stop the timer (the engine stops). */
  stop(): void {
    this.flush();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.timer || !this.pending.size) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const now = Date.now();
      this.tokens = Math.min(BURST, this.tokens + ((now - this.lastRefill) / 1000) * RATE);
      this.lastRefill = now;
      const n = Math.floor(this.tokens);
      this.tokens -= this.drain(n);
      this.schedule();
    }, DRAIN_MS);
    this.timer.unref();
  }

  /** Write up to `max` queued events, oldest first; returns how many were written. */
  private drain(max: number): number {
    if (this.draining || !this.pending.size) return 0;
    this.draining = true;
    let n = 0;
    try {
      for (const [key, p] of this.pending) {
        if (n >= max) break;
        this.pending.delete(key);
        n++;
        this.write(key, p);
      }
    } finally {
      this.draining = false;
    }
    return n;
  }

  private write(key: string, p: Pending): void {
    try {
      const existing = this.written.get(key);
      if (existing && this.store.get('events', p.ns, existing)) {
        this.store.mutate('events', p.ns, existing, (e) => {
          e.count = (typeof e.count === 'number' ? e.count : 1) + p.count;
          e.lastTimestamp = p.last;
          e.message = p.message;
        });
        return;
      }
      this.store.create('events', {
        metadata: { name: p.name, namespace: p.ns },
        involvedObject: p.involvedObject,
        reason: p.reason,
        message: p.message,
        source: p.source,
        firstTimestamp: p.first,
        lastTimestamp: p.last,
        count: p.count,
        type: p.type,
        eventTime: null,
        reportingComponent: p.source.component,
        reportingInstance: p.source.host ?? '',
      });
      this.written.set(key, p.name);
      // client-go keeps 4,096 (its event cache's LRU); an older key makes a new Event, as there.
      if (this.written.size > 4096) this.written.delete(this.written.keys().next().value!);
    } catch {
      // Events are best effort: a namespace being deleted must not break anything.
    }
  }
}
