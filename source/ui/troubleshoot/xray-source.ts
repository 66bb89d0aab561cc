import type { ClusterSession } from '../../client/session.ts';
import type { CachePool } from '../../client/cache-pool.ts';
import type { CacheQuery, Row, TableCache, TableSnapshot } from '../../client/table-cache.ts';
import type { RowSource } from '../sources.ts';
import { XrayModel, type XrayKind } from '../xray/model.ts';
import { XRAY_COLUMNS, XrayRowModel, xrayRow } from '../xray/rows.ts';
import { buildXray, flattenXray, XRAY_NEEDS, XRAY_RESOURCES, type XrayInput, type XrayRoot } from '../xray/tree.ts';
import type { Derived } from './multi-source.ts';

function xrayQueries(
  session: ClusterSession,
  root: XrayRoot,
  namespace: string | null,
): Partial<Record<XrayKind, CacheQuery>> {
  const queries: Partial<Record<XrayKind, CacheQuery>> = {};
  for (const need of XRAY_NEEDS[root]) {
    const info = session.registry.get(XRAY_RESOURCES[need]);
    if (!info) continue;
    // A node's pods come from every namespace.
    const ns = info.namespaced && root !== 'nodes' ? (namespace ?? undefined) : undefined;
    queries[need] = { resource: info, namespace: ns };
  }
  return queries;
}

/** The rows of a whole tree built from scratch: what XraySource's patched rows must equal. */
export function xrayRows(root: XrayRoot, input: XrayInput, collapsed: ReadonlySet<string>): Derived {
  const lines = flattenXray(buildXray(root, input), collapsed);
  const resources = new Map<string, string>();
  const rows: Row[] = lines.map((l) => {
    resources.set(l.node.id, l.node.resource);
    return xrayRow(l);
  });
  return { columns: XRAY_COLUMNS, rows, resources };
}

/**
 * The live xray tree of one root kind in one scope; `toggle` opens or closes a node. Each cache
 * publish feeds only the objects that changed to the XrayModel, which builds again only the roots
 * they reach; the rows of the other roots stay as they are, and the snapshot says which rows went
 * and came and in what order rows go, so the table patches them in too. Keys read the last
 * snapshot and build nothing.
 */
export class XraySource implements RowSource {
  private readonly model: XrayModel;
  private readonly lines = new XrayRowModel();
  private readonly collapsed = new Set<string>();
  private snapshot: TableSnapshot = { columns: [], rows: [], version: 0, state: 'loading', ordered: true };
  private readonly listeners = new Set<() => void>();
  private readonly caches: Array<{
    kind: XrayKind;
    cache: TableCache;
    seen: number;
    release: () => void;
    unsubscribe: () => void;
  }> = [];
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(session: ClusterSession, root: XrayRoot, namespace: string | null) {
    this.model = new XrayModel(root);
    this.attach(session.pool, xrayQueries(session, root, namespace));
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): TableSnapshot => this.snapshot;

  resourceOf = (row: Row): string | undefined => this.lines.resourceOf(row);

  refresh(): void {
    for (const c of this.caches) c.cache.refresh?.();
  }

  toggle(id: string): void {
    if (this.collapsed.has(id)) this.collapsed.delete(id);
    else this.collapsed.add(id);
    this.lines.relayout();
    this.flush();
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

  private attach(pool: CachePool, queries: Partial<Record<XrayKind, CacheQuery>>, coalesceMs = 100): void {
    for (const [kind, query] of Object.entries(queries) as Array<[XrayKind, CacheQuery]>) {
      const { cache, release } = pool.acquire(query);
      const entry = { kind, cache, seen: -1, release, unsubscribe: () => {} };
      entry.unsubscribe = cache.subscribe(() => {
        this.feed(entry);
        if (this.timer || this.closed) return;
        this.timer = setTimeout(() => this.flush(), coalesceMs);
        this.timer.unref?.();
      });
      this.caches.push(entry);
      this.feed(entry);
    }
    this.flush();
  }

  /** The objects a cache changed since this source last looked, into the model. */
  private feed(entry: (typeof this.caches)[number]): void {
    const s = entry.cache.getSnapshot();
    if (s.version === entry.seen) return;
    const ch = s.changes;
    if (ch && ch.since === entry.seen) {
      const added = new Set(ch.added.map((r) => r.uid));
      for (const r of ch.removed) if (!added.has(r.uid)) this.model.delete(entry.kind, r.object);
      for (const r of ch.added) this.model.set(entry.kind, r.object);
    } else {
      this.model.reset(
        entry.kind,
        s.rows.map((r) => r.object),
      );
    }
    entry.seen = s.version;
  }

  /** Publishes the rows of the roots that changed, and the caches' state. */
  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed) return;
    const { removed, added } = this.lines.update(this.model.forest(), this.collapsed);
    let loading = false;
    const errors: string[] = [];
    for (const c of this.caches) {
      const s = c.cache.getSnapshot();
      if (s.state === 'loading' && s.version === 0) loading = true;
      if (s.state === 'error' && s.error) errors.push(`${c.kind}: ${s.error}`);
    }
    const allFailed = errors.length === this.caches.length && this.caches.length > 0;
    const state = allFailed ? 'error' : loading ? 'loading' : 'ready';
    const error = errors.length ? errors.join('; ') : undefined;
    const prev = this.snapshot;
    if (!removed.length && !added.length && prev.version > 0 && prev.state === state && prev.error === error) return;
    this.snapshot = {
      columns: XRAY_COLUMNS,
      rows: this.lines.rows,
      version: prev.version + 1,
      state,
      error,
      ordered: true,
      order: this.lines.order,
      changes: prev.version > 0 ? { since: prev.version, removed, added } : undefined,
    };
    for (const fn of [...this.listeners]) fn();
  }
}
