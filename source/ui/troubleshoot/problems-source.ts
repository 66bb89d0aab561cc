import type { TableColumnDefinition } from '../../api-types/index.ts';
import type { ClusterSession } from '../../client/session.ts';
import type { CachePool } from '../../client/cache-pool.ts';
import type { CacheQuery, Row, TableCache, TableSnapshot } from '../../client/table-cache.ts';
import { ProblemModel, type ProblemKind } from '../problems/model.ts';
import { compareProblems, PROBLEM_RESOURCES, SEVERITY_NAMES, type Problem } from '../problems/rules.ts';
import type { RowSource } from '../sources.ts';
import { column } from './multi-source.ts';

/** Everything wrong in a scope (nodes always), ranked, from the pool's caches. */
export function problemsSource(
  session: ClusterSession,
  namespace: string | null,
  now: () => number = Date.now,
): ProblemsSource {
  const queries: Partial<Record<ProblemKind, CacheQuery>> = {};
  for (const [name, id] of Object.entries(PROBLEM_RESOURCES) as Array<[ProblemKind, string]>) {
    const info = session.registry.get(id);
    if (info) queries[name] = { resource: info, namespace: info.namespaced ? (namespace ?? undefined) : undefined };
  }
  return new ProblemsSource(session.pool, queries, namespace === null, now);
}

/** Past this many changed rows, sorting them all is as cheap as placing each. */
const PLACE_LIMIT = 64;

/**
 * The problems view's rows as a model patched by watch events: each cache publish feeds only the
 * objects that changed to the ProblemModel, and its problem changes are placed into the ranked rows
 * (the snapshot says what changed and in which order rows go, so the table patches too). Keys
 * read the last snapshot and run no rule.
 */
export class ProblemsSource implements RowSource {
  private readonly model: ProblemModel;
  private readonly columns: TableColumnDefinition[];
  private snapshot: TableSnapshot = { columns: [], rows: [], version: 0, state: 'loading', ordered: true };
  private rows: Row[] = [];
  private readonly rowOf = new Map<Problem, Row>();
  private readonly problemOf = new WeakMap<Row, Problem>();
  private readonly resources = new Map<string, string>();
  private readonly listeners = new Set<() => void>();
  private readonly caches: Array<{
    kind: ProblemKind;
    cache: TableCache;
    seen: number;
    release: () => void;
    unsubscribe: () => void;
  }> = [];
  private timer?: NodeJS.Timeout;
  private expiryTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    pool: CachePool,
    queries: Partial<Record<ProblemKind, CacheQuery>>,
    private readonly allNamespaces: boolean,
    private readonly now: () => number = Date.now,
    private readonly coalesceMs = 50,
  ) {
    this.model = new ProblemModel(now);
    this.columns = [
      ...(allNamespaces ? [column('Namespace')] : []),
      column('Severity'),
      column('Object', 'name'),
      column('Status'),
      column('Message'),
      column('Look', '', 0),
    ];
    for (const [kind, query] of Object.entries(queries) as Array<[ProblemKind, CacheQuery]>) {
      const { cache, release } = pool.acquire(query);
      const entry = { kind, cache, seen: -1, release, unsubscribe: () => {} };
      entry.unsubscribe = cache.subscribe(() => {
        this.feed(entry);
        this.schedule();
      });
      this.caches.push(entry);
      this.feed(entry);
    }
    this.flush();
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

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    clearTimeout(this.expiryTimer);
    for (const c of this.caches) {
      c.unsubscribe();
      c.release();
    }
    this.caches.length = 0;
  }

  /** The objects a cache changed since this source last looked, into the model. */
  private feed(entry: (typeof this.caches)[number]): void {
    const s = entry.cache.getSnapshot();
    if (s.version === entry.seen) return;
    const ch = s.changes;
    if (ch && ch.since === entry.seen) {
      const added = new Set(ch.added.map((r) => r.uid));
      for (const r of ch.removed) if (!added.has(r.uid)) this.model.delete(entry.kind, r.uid);
      for (const r of ch.added) this.model.set(entry.kind, r.object);
    } else {
      this.model.reset(
        entry.kind,
        s.rows.map((r) => r.object),
      );
    }
    entry.seen = s.version;
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => this.flush(), this.coalesceMs);
    this.timer.unref?.();
  }

  private row(p: Problem): Row {
    const uid = `${p.uid}/${p.reason}`;
    const cells = [SEVERITY_NAMES[p.severity], `${p.kind}/${p.name}`, p.reason, p.message, p.look];
    const row: Row = {
      uid,
      name: p.name,
      namespace: p.namespace,
      cells: this.allNamespaces ? [p.namespace ?? '', ...cells] : cells,
      object: p.object,
    };
    this.problemOf.set(row, p);
    return row;
  }

  private readonly order = (a: Row, b: Row): number => compareProblems(this.problemOf.get(a)!, this.problemOf.get(b)!);

  /** First index whose row sorts at or after `row`. */
  private lowerBound(row: Row): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.order(this.rows[mid], row) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Publishes the model's changes as patched rows, and the caches' state. */
  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed) return;
    const { removed, added } = this.model.takeChanges();
    const gone: Row[] = [];
    const fresh: Row[] = [];
    for (const p of removed) {
      const r = this.rowOf.get(p);
      if (!r) continue;
      this.rowOf.delete(p);
      gone.push(r);
    }
    for (const p of added) {
      const r = this.row(p);
      this.rowOf.set(p, r);
      fresh.push(r);
    }
    if (gone.length + fresh.length > PLACE_LIMIT) {
      this.rows = [...this.rowOf.values()].sort(this.order);
    } else if (gone.length + fresh.length) {
      const rows = this.rows.slice();
      this.rows = rows;
      for (const r of gone) {
        let i = this.lowerBound(r);
        while (i < rows.length && rows[i] !== r && this.order(rows[i], r) === 0) i++;
        if (rows[i] !== r) i = rows.indexOf(r);
        if (i >= 0) rows.splice(i, 1);
      }
      for (const r of fresh) {
        let i = this.lowerBound(r);
        while (i < rows.length && this.order(rows[i], r) === 0) i++;
        rows.splice(i, 0, r);
      }
    }
    for (const r of gone) this.resources.delete(r.uid);
    for (const r of fresh) this.resources.set(r.uid, this.problemOf.get(r)!.resource);
    this.publish(gone, fresh);
    this.scheduleExpiry();
  }

  private publish(removed: Row[], added: Row[]): void {
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
      columns: this.columns,
      rows: this.rows,
      version: prev.version + 1,
      state,
      error,
      ordered: true,
      order: this.order,
      changes: prev.version > 0 ? { since: prev.version, removed, added } : undefined,
    };
    for (const fn of [...this.listeners]) fn();
  }

  /** A Warning event stops being a problem once it is no longer recent: re-judge it then. */
  private scheduleExpiry(): void {
    clearTimeout(this.expiryTimer);
    const at = this.model.nextExpiry();
    if (at === undefined || this.closed) return;
    // Timers cap at about 24.8 days; an event's window is minutes.
    this.expiryTimer = setTimeout(
      () => {
        this.model.expire();
        this.flush();
      },
      Math.min(Math.max(0, at - this.now()), 2 ** 31 - 1),
    );
    this.expiryTimer.unref?.();
  }
}
