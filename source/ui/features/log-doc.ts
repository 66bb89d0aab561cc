import type { KObject } from '../../api-types/index.ts';
import { errorMessage } from '../../client/errors.ts';
import { streamLogs, type LogStream } from '../../client/logs.ts';
import type { Transport } from '../../client/transport.ts';
import { BaseDoc, type Lines } from '../docs.ts';
import type { RowSource } from '../sources.ts';

/** A fixed-size ring of lines: appending is O(1), the oldest lines fall off. */
export class RingBuffer {
  private readonly buf: string[];
  private start = 0;
  private count = 0;
  /** Lines dropped off the front since the last clear. */
  dropped = 0;

  constructor(readonly capacity: number) {
    this.buf = new Array(capacity);
  }

  push(line: string): void {
    if (this.count < this.capacity) {
      this.buf[(this.start + this.count++) % this.capacity] = line;
    } else {
      this.buf[this.start] = line;
      this.start = (this.start + 1) % this.capacity;
      this.dropped++;
    }
  }

  clear(): void {
    this.start = this.count = this.dropped = 0;
  }

  /** A snapshot view of the current lines (valid until many more lines arrive). */
  view(): Lines {
    const { buf, capacity } = this;
    const start = this.start;
    const length = this.count;
    const at = (i: number) => (i < 0 || i >= length ? undefined : buf[(start + i) % capacity]);
    return {
      length,
      at,
      slice(a = 0, b = length) {
        const out: string[] = [];
        for (let i = Math.max(0, a); i < Math.min(b, length); i++) out.push(at(i)!);
        return out;
      },
    };
  }
}

export interface LogSettings {
  container?: string;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
}

export type LogTarget =
  | { kind: 'pod'; namespace: string; pod: string }
  /** Every pod of a workload, each line prefixed with its pod's name; pods come and go. */
  | { kind: 'pods'; namespace: string; pods: RowSource };

/** Lines kept per log view; SKIFF_LOG_LINES overrides (k9s keeps 5,000). */
export const DEFAULT_CAPACITY = Number(process.env.SKIFF_LOG_LINES) > 0 ? Number(process.env.SKIFF_LOG_LINES) : 100_000;

/** Streams logs into a ring buffer and publishes at a bounded rate. */
export class LogDoc extends BaseDoc {
  readonly ring: RingBuffer;
  private streams = new Map<string, LogStream>();
  private unsubscribe?: () => void;
  private timer?: NodeJS.Timeout;
  private lastPublish = 0;
  private closed = false;
  private status = 'streaming';
  private errors = new Map<string, string>();

  constructor(
    private readonly transport: Transport,
    private readonly target: LogTarget,
    public settings: LogSettings,
    capacity = DEFAULT_CAPACITY,
    private readonly publishMs = 100,
  ) {
    super();
    this.ring = new RingBuffer(capacity);
    this.start();
  }

  /** Restart with new settings (container, timestamps, since/tail, previous). */
  restart(settings: Partial<LogSettings>): void {
    this.settings = { ...this.settings, ...settings };
    this.stopStreams();
    this.ring.clear();
    this.errors.clear();
    this.start();
  }

  private start(): void {
    if (this.target.kind === 'pod') {
      this.open(this.target.pod, '');
    } else {
      const source = this.target.pods;
      const sync = () => this.syncPods(source.getSnapshot().rows.map((r) => r.object));
      this.unsubscribe = source.subscribe(sync);
      sync();
    }
    this.flush();
  }

  private syncPods(pods: KObject[]): void {
    if (this.closed) return;
    const live = new Set<string>();
    for (const p of pods) {
      const name = p.metadata.name!;
      // A pod whose containers never started has no logs yet; try again when it changes.
      const started = (p.status?.containerStatuses ?? []).some((s: any) => s.state?.running || s.state?.terminated);
      if (!started) continue;
      live.add(name);
      if (!this.streams.has(name)) this.open(name, `${name} `);
    }
    for (const [name, s] of this.streams) {
      if (!live.has(name)) {
        s.stop();
        this.streams.delete(name);
      }
    }
  }

  private open(pod: string, prefix: string): void {
    const { namespace } = this.target;
    const s = this.settings;
    const stream = streamLogs(
      this.transport,
      {
        namespace,
        pod,
        container: s.container,
        follow: !s.previous,
        previous: s.previous,
        timestamps: s.timestamps,
        tailLines: s.tailLines,
        sinceSeconds: s.sinceSeconds,
      },
      (line) => {
        this.ring.push(prefix + line.replace(/\t/g, '    '));
        this.schedule();
      },
    );
    this.streams.set(pod, stream);
    stream.done.then(
      () => {
        if (this.streams.get(pod) !== stream) return;
        if (this.target.kind === 'pod') this.setStatus(s.previous ? 'previous' : 'ended');
      },
      (err) => {
        if (this.streams.get(pod) !== stream) return;
        this.errors.set(pod, errorMessage(err));
        if (this.target.kind === 'pod') this.setStatus('error');
        this.flush();
      },
    );
  }

  private setStatus(status: string): void {
    this.status = status;
    this.flush();
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    const wait = this.lastPublish + this.publishMs - Date.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed) return;
    this.lastPublish = Date.now();
    const error = [...this.errors.values()][0];
    const parts = [this.status === 'streaming' && this.settings.previous ? 'previous' : this.status];
    if (this.target.kind === 'pods') parts.push(`${this.streams.size} pods`);
    if (this.settings.container) parts.push(this.settings.container);
    if (this.settings.timestamps) parts.push('timestamps');
    this.publish({ lines: this.ring.view(), loading: false, error, status: parts.join(', ') });
  }

  private stopStreams(): void {
    for (const s of this.streams.values()) s.stop();
    this.streams.clear();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.status = 'streaming';
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.stopStreams();
  }
}
