import type { KObject } from '../../api-types/index.ts';
import { errorMessage } from '../../client/errors.ts';
import { followLogs } from '../../client/log-follow.ts';
import type { LogStream } from '../../client/logs.ts';
import type { Transport } from '../../client/transport.ts';
import { containerNames } from '../../api-types/pod-spec.ts';
import { BaseDoc, type Lines } from '../docs.ts';
import type { RowSource } from '../sources.ts';
import { LineSelector, lineBody, type LogFilterSpec } from '../logs/filter.ts';
import { baseSegments, highlight, type Segment } from '../logs/segments.ts';
import { renderLine } from '../logs/structured.ts';

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

  /** Lines pushed since the last clear, counting those dropped: the next line's absolute number. */
  get total(): number {
    return this.dropped + this.count;
  }

  /** The line with absolute number `abs`, while it is still in the ring. */
  atAbs(abs: number): string | undefined {
    const i = abs - this.dropped;
    return i < 0 || i >= this.count ? undefined : this.buf[(this.start + i) % this.capacity];
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
  /**
   * Every pod of a workload or selector, each line prefixed with its source (`pod` or
   * `pod/container` when all containers are followed); pods come and go. At most
   * `maxStreams` streams at once (kubectl's --max-log-requests, default 5).
   */
  | { kind: 'pods'; namespace: string; pods: RowSource; allContainers?: boolean; maxStreams?: number };

/** kubectl logs --max-log-requests's default. */
export const MAX_LOG_STREAMS = 5;

/** How the lines are shown: `J` structured rendering, `/` filter with context and level. */
export interface LogDisplay {
  structured: boolean;
  filter?: LogFilterSpec;
}

/** Lines kept per log view; SKIFF_LOG_LINES overrides (k9s keeps 5,000). */
export const DEFAULT_CAPACITY = Number(process.env.SKIFF_LOG_LINES) > 0 ? Number(process.env.SKIFF_LOG_LINES) : 100_000;

/**
 * Lines in one publish from which the log counts as a flood: every frame would show a screen of
 * new lines, faster than anyone reads, so frames come less often (floodMs) until it calms down.
 */
const FLOOD_LINES = 50;

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
  display: LogDisplay = { structured: false };
  private selector?: LineSelector;
  /** Sources (pod/container) that want a stream but are over the cap. */
  private waiting = 0;
  /** Lines appended since the last publish, and in the publish before. */
  private pending = 0;
  private lastBatch = 0;

  constructor(
    private readonly transport: Transport,
    private readonly target: LogTarget,
    public settings: LogSettings,
    capacity = DEFAULT_CAPACITY,
    private readonly publishMs = 100,
    private readonly floodMs = 250,
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
    this.reselect();
    this.start();
  }

  /** Change how lines are shown (structured, filter); the ring is kept. */
  setDisplay(display: Partial<LogDisplay>): void {
    this.display = { ...this.display, ...display };
    this.reselect();
    this.flush();
  }

  private get prefixed(): boolean {
    return this.target.kind === 'pods';
  }

  private reselect(): void {
    const f = this.display.filter;
    this.selector = f ? new LineSelector(f, this.prefixed, (abs) => this.ring.atAbs(abs)) : undefined;
    if (!this.selector) return;
    for (let abs = this.ring.dropped; abs < this.ring.total; abs++) this.selector.feed(abs, this.ring.atAbs(abs)!);
  }

  private append(line: string): void {
    this.ring.push(line);
    this.pending++;
    if (this.selector) {
      this.selector.feed(this.ring.total - 1, line);
      if (this.ring.dropped) this.selector.trim(this.ring.dropped);
    }
    this.schedule();
  }

  /** The lines as shown: filtered, then rendered. */
  private shownLines(): Lines {
    let lines: Lines = this.ring.view();
    const sel = this.selector;
    if (sel) {
      const kept = sel.kept.slice();
      const at = (i: number) => (i < 0 || i >= kept.length ? undefined : this.ring.atAbs(kept[i]!));
      lines = {
        length: kept.length,
        at,
        slice: (a = 0, b = kept.length) => kept.slice(a, b).map((abs) => this.ring.atAbs(abs) ?? ''),
      };
    }
    if (!this.display.structured) return lines;
    const prefixed = this.prefixed;
    const render = (l: string | undefined) => {
      if (l === undefined) return undefined;
      const body = lineBody(l, prefixed);
      return l.slice(0, l.length - body.length) + renderLine(body);
    };
    const base = lines;
    return {
      length: base.length,
      at: (i) => render(base.at(i)),
      slice: (a, b) => base.slice(a, b).map((l) => render(l)!),
    };
  }

  /** Styled runs of a shown line: source colour, level colour, filter matches highlighted. */
  private segmentsOf(): (line: string) => Segment[] {
    const opts = { prefixed: this.prefixed, structured: this.display.structured };
    const pattern = this.display.filter?.pattern;
    return (line) => highlight(baseSegments(line, opts), pattern);
  }

  private start(): void {
    if (this.target.kind === 'pod') {
      this.open(this.target.pod, this.target.pod);
    } else {
      const source = this.target.pods;
      const sync = () => this.syncPods(source.getSnapshot().rows.map((r) => r.object));
      this.unsubscribe = source.subscribe(sync);
      sync();
    }
    this.flush();
  }

  private syncPods(pods: KObject[]): void {
    if (this.closed || this.target.kind !== 'pods') return;
    const { allContainers, maxStreams = MAX_LOG_STREAMS } = this.target;
    const live = new Set<string>();
    let wanted = 0;
    for (const p of pods) {
      const name = p.metadata.name!;
      // A container that never started has no logs yet; try again when its pod changes.
      const statuses: Array<{ name: string; state?: { running?: unknown; terminated?: unknown } }> =
        p.status?.containerStatuses ?? [];
      const started = new Set(statuses.filter((s) => s.state?.running || s.state?.terminated).map((s) => s.name));
      if (!started.size) continue;
      const containers =
        allContainers && !this.settings.container ? containerNames(p).filter((c) => started.has(c)) : [undefined];
      // Over a namespace set (`-n a,b`) each source is named with its namespace.
      const ns = p.metadata.namespace ?? this.target.namespace;
      const where = ns === this.target.namespace ? name : `${ns}/${name}`;
      for (const container of containers) {
        const key = container ? `${where}/${container}` : where;
        wanted++;
        if (!this.streams.has(key) && this.streams.size >= maxStreams) continue;
        live.add(key);
        if (!this.streams.has(key)) this.open(key, name, container, `${key} `, ns);
      }
    }
    for (const [key, s] of this.streams) {
      if (!live.has(key)) {
        s.stop();
        this.streams.delete(key);
      }
    }
    const waiting = wanted - this.streams.size;
    if (waiting !== this.waiting) {
      this.waiting = waiting;
      this.flush();
    }
  }

  private open(
    key: string,
    pod: string,
    container: string | undefined = this.settings.container,
    prefix = '',
    namespace = this.target.namespace,
  ): void {
    const s = this.settings;
    const stream = followLogs(
      this.transport,
      {
        namespace,
        pod,
        container,
        follow: !s.previous,
        previous: s.previous,
        timestamps: s.timestamps,
        tailLines: s.tailLines,
        sinceSeconds: s.sinceSeconds,
      },
      (line) => this.append(prefix + line.replace(/\t/g, '    ')),
      // A crash-looping container: its next instance is streamed as soon as it starts.
      {
        onRestart: (restarts) =>
          this.append(`${prefix}── ${container ?? 'container'} restarted (restarts: ${restarts}) ──`),
      },
    );
    this.streams.set(key, stream);
    stream.done.then(
      () => {
        if (this.streams.get(key) !== stream) return;
        if (this.target.kind === 'pod') this.setStatus(s.previous ? 'previous' : 'ended');
      },
      (err) => {
        if (this.streams.get(key) !== stream) return;
        this.errors.set(key, errorMessage(err));
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
    const wait = this.lastPublish + (this.lastBatch >= FLOOD_LINES ? this.floodMs : this.publishMs) - Date.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed) return;
    this.lastPublish = Date.now();
    this.lastBatch = this.pending;
    this.pending = 0;
    const error = [...this.errors.values()][0];
    const parts = [this.status === 'streaming' && this.settings.previous ? 'previous' : this.status];
    if (this.target.kind === 'pods') {
      parts.push(`${this.streams.size} ${this.target.allContainers ? 'streams' : 'pods'}`);
      if (this.waiting > 0)
        parts.push(`capped at ${this.streams.size}, ${this.waiting} more not followed (--max-log-requests)`);
    }
    if (this.settings.container) parts.push(this.settings.container);
    if (this.settings.timestamps) parts.push('timestamps');
    if (this.display.structured) parts.push('structured');
    if (this.display.filter) parts.push(`filter: ${this.display.filter.text}`);
    this.publish({
      lines: this.shownLines(),
      loading: false,
      error,
      status: parts.join(', '),
      segments: this.segmentsOf(),
    });
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
