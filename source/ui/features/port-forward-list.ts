import type { TableColumnDefinition } from '../../api-types/index.ts';
import type { PortForward } from '../../client/portforward.ts';
import type { Row, TableSnapshot } from '../../client/table-cache.ts';
import type { RowSource } from '../sources.ts';

/** The client-side table `:pf` shows. */
export const PORT_FORWARDS = 'portforwards';

export interface ForwardEntry {
  id: number;
  /** `pod/web-1` or `svc/web` */
  target: string;
  namespace: string;
  remotePort: number;
  forward: PortForward;
  /** Set when the forwarded pod is deleted (a pod forward has nowhere to go then). */
  gone?: string;
  /** Stops watching the target. */
  release?: () => void;
}

function col(name: string): TableColumnDefinition {
  return { name, type: 'string', format: name === 'Name' ? 'name' : '', description: '', priority: 0 };
}

const COLUMNS = ['Name', 'Namespace', 'Local', 'Remote', 'Pod', 'Conns', 'Sent', 'Recv', 'Status'].map(col);

export function bytes(n: number): string {
  if (n < 1024) return `${n}B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)}KiB`;
  return `${(n / 1024 / 1024).toFixed(1)}MiB`;
}

/** The session's forwards; they live as long as skiff runs (or until ctrl-d in `:pf`). */
export class ForwardList implements RowSource {
  private entries: ForwardEntry[] = [];
  private readonly listeners = new Set<() => void>();
  private snapshot: TableSnapshot = { columns: COLUMNS, rows: [], version: 1, state: 'ready' };
  private timer?: NodeJS.Timeout;
  private nextId = 1;

  add(e: Omit<ForwardEntry, 'id'>): ForwardEntry {
    const entry = { ...e, id: this.nextId++ };
    this.entries.push(entry);
    e.forward.onChange(() => this.schedule());
    this.publish();
    return entry;
  }

  /** Marks a forward whose pod is gone (or back), shown in its status. */
  setGone(id: number, gone: string | undefined): void {
    const e = this.entries.find((x) => x.id === id);
    if (!e || e.gone === gone) return;
    e.gone = gone;
    this.publish();
  }

  all(): readonly ForwardEntry[] {
    return this.entries;
  }

  async stop(id: number): Promise<ForwardEntry | undefined> {
    const e = this.entries.find((x) => x.id === id);
    if (!e) return undefined;
    this.entries = this.entries.filter((x) => x !== e);
    e.release?.();
    await e.forward.stop();
    this.publish();
    return e;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.entries.map((e) => this.stop(e.id)));
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): TableSnapshot => this.snapshot;

  /** Byte counters change per chunk: publish at most every 250 ms. */
  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.publish();
    }, 250);
    this.timer.unref?.();
  }

  private publish(): void {
    const rows: Row[] = this.entries.map((e) => {
      const s = e.forward.stats;
      const local = `${e.forward.address}:${e.forward.localPort}`;
      return {
        uid: `pf:${e.id}`,
        name: local,
        namespace: e.namespace,
        cells: [
          e.target,
          e.namespace,
          local,
          String(e.remotePort),
          s.pod ?? '',
          `${s.active}/${s.total}`,
          bytes(s.bytesOut),
          bytes(s.bytesIn),
          e.gone ?? s.error ?? 'Active',
        ],
        object: { metadata: { name: local, namespace: e.namespace, uid: `pf:${e.id}` } },
      };
    });
    this.snapshot = { columns: COLUMNS, rows, version: this.snapshot.version + 1, state: 'ready' };
    for (const fn of this.listeners) fn();
  }
}
