import type { KObject, TableColumnDefinition } from '../../api-types/index.ts';
import type { CachePool } from '../../client/cache-pool.ts';
import type { CacheQuery, Row, TableSnapshot } from '../../client/table-cache.ts';
import type { RowSource } from '../sources.ts';

/** What a derived view computes from its caches. */
export interface Derived {
  columns: TableColumnDefinition[];
  rows: Row[];
  /** The resource id each row's object belongs to (by row uid), for d/y/l/s on the row. */
  resources: Map<string, string>;
}

export function column(name: string, format = '', priority = 0): TableColumnDefinition {
  return { name, type: 'string', format, description: '', priority };
}

/**
 * A table computed from several list+watch caches of the session's pool (xray, problems, the
 * events of one object): it rebuilds when any of them publishes, at most every `coalesceMs`. No
 * polling; the caches are the same ones the resource tables share.
 */
export class MultiCacheSource implements RowSource {
  private snapshot: TableSnapshot = { columns: [], rows: [], version: 0, state: 'loading', ordered: true };
  private resources = new Map<string, string>();
  private readonly listeners = new Set<() => void>();
  private readonly caches: Array<{ name: string; cache: RowSource; release: () => void; unsubscribe: () => void }> = [];
  private timer?: NodeJS.Timeout;
  private closed = false;
  private lastBuildMs = 0;

  constructor(
    pool: CachePool,
    queries: Record<string, CacheQuery>,
    private readonly build: (lists: Record<string, KObject[]>, snapshots: Record<string, TableSnapshot>) => Derived,
    private readonly coalesceMs = 100,
  ) {
    for (const [name, query] of Object.entries(queries)) {
      const { cache, release } = pool.acquire(query);
      const unsubscribe = cache.subscribe(() => this.schedule());
      this.caches.push({ name, cache, release, unsubscribe });
    }
    this.rebuild();
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): TableSnapshot => this.snapshot;

  resourceOf = (row: Row): string | undefined => this.resources.get(row.uid);

  refresh(): void {
    for (const c of this.caches) c.cache.refresh?.();
  }

  /** Recompute now (a change that is not a cache event, like expanding a tree node). */
  rebuild(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed) return;
    const lists: Record<string, KObject[]> = {};
    const snaps: Record<string, TableSnapshot> = {};
    let loading = false;
    const errors: string[] = [];
    for (const c of this.caches) {
      const s = c.cache.getSnapshot();
      snaps[c.name] = s;
      lists[c.name] = s.rows.map((r) => r.object);
      if (s.state === 'loading' && s.version === 0) loading = true;
      if (s.state === 'error' && s.error) errors.push(`${c.name}: ${s.error}`);
    }
    const t0 = performance.now();
    const out = this.build(lists, snaps);
    this.lastBuildMs = performance.now() - t0;
    this.resources = out.resources;
    const allFailed = errors.length === this.caches.length && this.caches.length > 0;
    this.snapshot = {
      columns: out.columns,
      rows: out.rows,
      version: this.snapshot.version + 1,
      state: allFailed ? 'error' : loading ? 'loading' : 'ready',
      error: errors.length ? errors.join('; ') : undefined,
      ordered: true,
    };
    for (const fn of [...this.listeners]) fn();
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    // A big tree under churn: rebuild at most about a quarter of the time.
    this.timer = setTimeout(() => this.rebuild(), Math.max(this.coalesceMs, 3 * this.lastBuildMs));
    this.timer.unref?.();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const c of this.caches) {
      c.unsubscribe();
      c.release();
    }
    this.caches.length = 0;
  }
}
