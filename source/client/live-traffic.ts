import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { KObject } from '../api-types/index.ts';
import { errorMessage } from './errors.ts';
import { streamLogs, type LogStream } from './logs.ts';
import { trafficTarget } from './traffic.ts';
import type { Transport } from './transport.ts';

/**
 * Live traffic at a steady rate for as long as it runs, with each request traced to the pod that
 * answered it. Through a Service, the pod is found in the pods' access logs (every request carries
 * a unique User-Agent, which nginx-style logs record), so it is what really happened behind the
 * Service; without a Service the requests go round robin straight to the ready pods' IPs (only
 * reachable when those are local addresses, as on the local engine).
 */

export interface TrafficSecond {
  /** Epoch second the requests were sent in. */
  at: number;
  /** Answered requests by pod name. */
  byPod: Map<string, number>;
  failed: number;
  /** Answered, but not (yet) found in any pod's log. */
  unattributed: number;
  /** Sent, no answer yet. */
  inFlight: number;
}

export interface TrafficTotals {
  sent: number;
  ok: number;
  failed: number;
  byPod: Map<string, number>;
  /** The last failure's reason. */
  lastError?: string;
  /** Due but not sent: too many requests in flight, or the timer stalled (a busy machine). */
  skipped?: number;
}

interface Sent {
  at: number;
  state: 'flight' | 'ok' | 'failed';
  pod?: string;
}

export type TrafficRoute =
  { kind: 'service'; name: string; url: string; viaApi: boolean } | { kind: 'pods'; port: number };

/** How to reach the workload: the first Service whose selector picks its pods, else its pods directly. */
export function routeFor(
  t: Transport,
  services: KObject[],
  podLabels: Record<string, string>,
  containerPort: number,
): TrafficRoute {
  const matches = (svc: KObject) => {
    const sel: Record<string, string> = svc.spec?.selector ?? {};
    const keys = Object.keys(sel);
    return keys.length > 0 && keys.every((k) => podLabels[k] === sel[k]) && (svc.spec?.ports?.length ?? 0) > 0;
  };
  const svc = services.find(matches);
  if (svc) {
    const target = trafficTarget(svc, t);
    return { kind: 'service', name: svc.metadata.name!, url: target.url, viaApi: target.viaApi };
  }
  return { kind: 'pods', port: containerPort };
}

function getOnce(url: string, ua: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      url,
      { agent: false, headers: { 'user-agent': ua, connection: 'close' }, timeout: timeoutMs },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

const KEEP_SECONDS = 600;
const MAX_IN_FLIGHT = 64;

export class LiveTraffic {
  readonly tag = `skiff-live/${randomBytes(4).toString('hex')}`;
  readonly totals: TrafficTotals = { sent: 0, ok: 0, failed: 0, byPod: new Map() };
  private readonly sent = new Map<number, Sent>();
  private readonly streams = new Map<string, LogStream>();
  private readonly listeners = new Set<() => void>();
  private started = Date.now();
  /** Direct traffic waits for the first pod list: pods not yet known are not "no ready pods". */
  private podsKnown = false;
  private seq = 0;
  private inFlight = 0;
  private readyPods: KObject[] = [];
  private rr = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private done = false;

  constructor(
    private readonly t: Transport,
    readonly route: TrafficRoute,
    readonly rate: number,
    private readonly timeoutMs = 2000,
    /** A sustained load: stop sending after this long (the log streams stay, to trace the last answers). */
    readonly durationMs?: number,
  ) {
    // Paced by the clock, not by the timer: a late tick sends what is due (timers drift on a busy machine).
    this.timer = setInterval(() => this.tick(), Math.max(5, Math.min(50, Math.round(1000 / rate))));
    this.timer.unref?.();
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  private changed(): void {
    for (const fn of [...this.listeners]) fn();
  }

  /** The workload's pods as they are now: streams the logs of those that run, picks the ready ones for direct traffic. */
  setPods(pods: KObject[]): void {
    if (this.stopped) return;
    if (!this.podsKnown && this.route.kind === 'pods') this.started = Date.now();
    this.podsKnown = true;
    this.readyPods = pods.filter(
      (p) =>
        !p.metadata.deletionTimestamp &&
        p.status?.podIP &&
        (p.status?.conditions ?? []).some(
          (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
        ),
    );
    if (this.route.kind !== 'service') return;
    for (const p of pods) {
      const name = p.metadata.name!;
      const running = (p.status?.containerStatuses ?? []).some(
        (cs: { state?: { running?: unknown } }) => cs.state?.running,
      );
      if (!running || this.streams.has(name)) continue;
      this.follow(p.metadata.namespace!, name);
    }
  }

  private follow(namespace: string, pod: string): void {
    const sinceSeconds = Math.ceil((Date.now() - this.started) / 1000) + 2;
    const marker = `${this.tag}/`;
    const stream = streamLogs(this.t, { namespace, pod, follow: true, sinceSeconds }, (line) => {
      const i = line.indexOf(marker);
      if (i >= 0) this.attribute(Number(/^\d+/.exec(line.slice(i + marker.length))?.[0]), pod);
    });
    this.streams.set(pod, stream);
    // A stream that ends (the pod went away) is not reopened; a failed one may be, on the next pod update.
    stream.done.catch(() => this.streams.delete(pod));
  }

  private attribute(seq: number, pod: string): void {
    // The request was recorded before it was sent, so a miss is one pruned as too old.
    const r = this.sent.get(seq);
    if (!r || r.pod) return;
    r.pod = pod;
    if (r.state === 'ok') this.totals.byPod.set(pod, (this.totals.byPod.get(pod) ?? 0) + 1);
    this.changed();
  }

  private url(): { url: string; pod?: string } | undefined {
    if (this.route.kind === 'service') return { url: this.route.url };
    if (!this.readyPods.length) return undefined;
    const pod = this.readyPods[this.rr++ % this.readyPods.length];
    return { url: `http://${pod.status!.podIP}:${this.route.port}/`, pod: pod.metadata.name };
  }

  /** Milliseconds of a sustained load still to run; undefined when it runs until stopped. */
  remainingMs(): number | undefined {
    return this.durationMs === undefined ? undefined : Math.max(0, this.started + this.durationMs - Date.now());
  }

  /** A sustained load whose time is up and whose last due request went out (nothing more is sent). */
  get finished(): boolean {
    return this.done;
  }

  private tick(): void {
    if (this.done || (this.route.kind === 'pods' && !this.podsKnown)) return;
    const finished = this.durationMs !== undefined && Date.now() - this.started >= this.durationMs;
    const elapsed = Math.min(Date.now() - this.started, this.durationMs ?? Infinity);
    const due = Math.floor((elapsed * this.rate) / 1000);
    // After a long stall (a suspended laptop), start afresh rather than firing a burst.
    if (due - this.seq > this.rate) {
      this.totals.skipped = (this.totals.skipped ?? 0) + due - 1 - this.seq;
      this.seq = due - 1;
    }
    while (!this.stopped && this.seq < due) this.fire();
    if (finished) {
      // What was due up to the end is sent; then the load is over.
      this.done = true;
      clearInterval(this.timer);
      this.changed();
    }
  }

  private fire(): void {
    const seq = ++this.seq;
    if (this.inFlight >= MAX_IN_FLIGHT) {
      this.totals.skipped = (this.totals.skipped ?? 0) + 1; // the target is not keeping up
      return;
    }
    const r: Sent = { at: Math.floor(Date.now() / 1000), state: 'flight' };
    this.sent.set(seq, r);
    this.totals.sent++;
    this.inFlight++;
    const target = this.url();
    const ua = `${this.tag}/${seq}`;
    const work: Promise<number> = !target
      ? Promise.reject(new Error('no ready pods'))
      : this.route.kind === 'service' && this.route.viaApi
        ? this.t.text({ path: target.url, timeoutMs: this.timeoutMs }).then(() => 200)
        : getOnce(target.url, ua, this.timeoutMs);
    work
      .then(
        (status) => {
          if (status >= 200 && status < 400) {
            r.state = 'ok';
            this.totals.ok++;
            r.pod ??= target?.pod;
            if (r.pod) this.totals.byPod.set(r.pod, (this.totals.byPod.get(r.pod) ?? 0) + 1);
          } else {
            r.state = 'failed';
            this.totals.failed++;
            this.totals.lastError = `HTTP ${status}`;
          }
        },
        (err) => {
          r.state = 'failed';
          this.totals.failed++;
          this.totals.lastError = errorMessage(err);
        },
      )
      .finally(() => {
        this.inFlight--;
        this.prune();
        this.changed();
      });
  }

  private prune(): void {
    const oldest = Math.floor(Date.now() / 1000) - KEEP_SECONDS;
    for (const [seq, r] of this.sent) {
      if (r.at >= oldest) break;
      this.sent.delete(seq);
    }
  }

  /** The last `n` seconds, oldest first (the current, still filling second last). */
  seconds(n: number): TrafficSecond[] {
    const now = Math.floor(Date.now() / 1000);
    const out: TrafficSecond[] = [];
    const from = now - n + 1;
    const index = new Map<number, TrafficSecond>();
    for (let at = from; at <= now; at++) {
      const s: TrafficSecond = { at, byPod: new Map(), failed: 0, unattributed: 0, inFlight: 0 };
      out.push(s);
      index.set(at, s);
    }
    for (const r of this.sent.values()) {
      const s = index.get(r.at);
      if (!s) continue;
      if (r.state === 'flight') s.inFlight++;
      else if (r.state === 'failed') s.failed++;
      else if (r.pod) s.byPod.set(r.pod, (s.byPod.get(r.pod) ?? 0) + 1);
      else s.unattributed++;
    }
    return out;
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    for (const s of this.streams.values()) s.stop();
    this.streams.clear();
    this.listeners.clear();
  }
}
