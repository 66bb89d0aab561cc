import type { Segment } from './logs/segments.ts';

/** Read access to lines: arrays, and views over a log ring buffer. */
export interface Lines {
  readonly length: number;
  at(i: number): string | undefined;
  slice(start?: number, end?: number): string[];
}

/** Text shown in a scrollable view (describe, YAML, logs), kept outside React like the caches. */
export interface DocSnapshot {
  lines: Lines;
  version: number;
  loading: boolean;
  error?: string;
  /** A note for the title: `deleted`, `following`, ... */
  status?: string;
  /** Styled runs of a line (logs: source and level colours, matches); plain text without it. */
  segments?: (line: string) => Segment[];
}

export interface TextDoc {
  subscribe(fn: () => void): () => void;
  getSnapshot(): DocSnapshot;
  close(): void;
}

export abstract class BaseDoc implements TextDoc {
  protected snapshot: DocSnapshot = { lines: [], version: 0, loading: true };
  private readonly listeners = new Set<() => void>();

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): DocSnapshot => this.snapshot;

  protected publish(next: Omit<DocSnapshot, 'version'>): void {
    this.snapshot = { ...next, version: this.snapshot.version + 1 };
    for (const fn of [...this.listeners]) fn();
  }

  abstract close(): void;
}

export class StaticDoc extends BaseDoc {
  constructor(lines: string[]) {
    super();
    this.snapshot = { lines, version: 1, loading: false };
  }

  close(): void {}
}

/**
 * Text recomputed by `render` whenever a trigger fires (and every `pollMs`), one run at a time;
 * a trigger during a run schedules one more run after it.
 */
export class LiveDoc extends BaseDoc {
  private running = false;
  private again = false;
  private closed = false;
  private timer?: NodeJS.Timeout;
  private readonly unsubs: Array<() => void> = [];

  constructor(
    private readonly render: () => Promise<{ lines: string[]; status?: string }>,
    triggers: Array<(fn: () => void) => () => void> = [],
    pollMs?: number,
  ) {
    super();
    for (const t of triggers) this.unsubs.push(t(() => this.refresh()));
    if (pollMs) {
      this.timer = setInterval(() => this.refresh(), pollMs);
      this.timer.unref?.();
    }
    this.refresh();
  }

  refresh(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.render()
      .then(
        ({ lines, status }) => {
          if (this.closed) return;
          const cur = this.snapshot;
          const same =
            !cur.loading &&
            !cur.error &&
            cur.status === status &&
            cur.lines.length === lines.length &&
            lines.every((l, i) => l === cur.lines.at(i));
          if (!same) this.publish({ lines, loading: false, status });
        },
        (err) => {
          if (!this.closed)
            this.publish({ ...this.snapshot, loading: false, error: err instanceof Error ? err.message : String(err) });
        },
      )
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.refresh();
        }
      });
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    for (const u of this.unsubs) u();
  }
}
