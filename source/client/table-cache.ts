import type { KObject, Table, TableColumnDefinition, TableRow } from '../api-types/index.ts';
import { KubeError, errorMessage } from './errors.ts';
import { LineSplitter } from './lines.ts';
import { resourcePath, type ResourceInfo } from './resource.ts';
import type { StreamHandle, Transport } from './transport.ts';

/** Ask for server-side Tables (v1 only: the watch decoder below reads v1 rows). */
export const TABLE_ACCEPT_V1 = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

export interface CacheQuery {
  resource: ResourceInfo;
  /** Undefined: all namespaces (or a cluster-scoped resource). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface Row {
  uid: string;
  name: string;
  namespace?: string;
  cells: string[];
  /** The full object (includeObject=Object); may be metadata only on servers that ignore it. */
  object: KObject;
  conditions?: TableRow['conditions'];
}

export type CacheState = 'loading' | 'ready' | 'reconnecting' | 'error';

export interface TableSnapshot {
  columns: readonly TableColumnDefinition[];
  rows: readonly Row[];
  /** Increases with every published change. */
  version: number;
  state: CacheState;
  error?: string;
  resourceVersion?: string;
}

export interface CacheOptions {
  /** Watch events are applied at once but published at most this often (leading + trailing). */
  coalesceMs?: number;
  pageSize?: number;
  maxBackoffMs?: number;
}

const FALLBACK_COLUMNS: TableColumnDefinition[] = [
  { name: 'Name', type: 'string', format: 'name', description: '', priority: 0 },
  { name: 'Created At', type: 'date', format: '', description: '', priority: 0 },
];

export function cacheKey(q: CacheQuery): string {
  const ns = q.resource.namespaced ? (q.namespace ?? '*') : '-';
  return [q.resource.group, q.resource.plural, ns, q.labelSelector ?? '', q.fieldSelector ?? ''].join('|');
}

/**
 * A list + watch of one resource in one scope, kept as server-side Table rows by uid.
 * Lives outside React: components read `getSnapshot()` through useSyncExternalStore.
 */
export class TableCache {
  private rows = new Map<string, Row>();
  private columns: TableColumnDefinition[] = [];
  private snapshot: TableSnapshot = { columns: [], rows: [], version: 0, state: 'loading' };
  private readonly listeners = new Set<() => void>();
  private rv?: string;
  private state: CacheState = 'loading';
  private error?: string;
  private stopped = true;
  private loadedOnce = false;
  private stream?: StreamHandle;
  private timer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private lastPublish = 0;
  private backoff = 0;
  private readonly coalesceMs: number;
  private readonly pageSize: number;
  private readonly maxBackoffMs: number;

  constructor(
    private readonly transport: Transport,
    readonly query: CacheQuery,
    opts: CacheOptions = {},
  ) {
    this.coalesceMs = opts.coalesceMs ?? 150;
    this.pageSize = opts.pageSize ?? 500;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): TableSnapshot => this.snapshot;

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.run(true);
  }

  stop(): void {
    this.stopped = true;
    this.stream?.abort();
    clearTimeout(this.timer);
    clearTimeout(this.retryTimer);
    this.timer = this.retryTimer = undefined;
  }

  /** Drop everything and list again (e.g. after the user asked for a refresh). */
  refresh(): void {
    if (this.stopped) return;
    this.rv = undefined;
    this.stream?.abort();
  }

  private get path(): string {
    const q = this.query;
    return resourcePath(q.resource, q.resource.namespaced ? q.namespace : undefined);
  }

  private async run(relist: boolean): Promise<void> {
    while (!this.stopped) {
      try {
        if (relist || !this.rv) await this.list();
        relist = false;
        if (this.stopped) return;
        relist = await this.watch();
        this.backoff = 0;
      } catch (err) {
        if (this.stopped) return;
        const e = err instanceof KubeError ? err : new KubeError(errorMessage(err), 0);
        if (e.code === 410) {
          relist = true;
          continue;
        }
        this.setState(this.loadedOnce ? 'reconnecting' : 'error', e.message);
        const permanent = e.code === 403 || e.code === 404 || e.code === 401;
        this.backoff = permanent ? this.maxBackoffMs : Math.min(this.maxBackoffMs, Math.max(500, this.backoff * 2));
        await new Promise<void>((r) => (this.retryTimer = setTimeout(r, this.backoff)));
        // A list failing halfway leaves rv unset, so the next turn lists again.
      }
    }
  }

  private async list(): Promise<void> {
    const next = new Map<string, Row>();
    const initial = this.rows.size === 0 && this.snapshot.version === 0;
    let cont: string | undefined;
    let rv: string | undefined;
    do {
      const table = await this.transport.json<Table | any>({
        path: this.path,
        accept: TABLE_ACCEPT_V1,
        query: {
          includeObject: 'Object',
          limit: this.pageSize,
          continue: cont,
          labelSelector: this.query.labelSelector,
          fieldSelector: this.query.fieldSelector,
        },
        timeoutMs: 60_000,
      });
      if (this.stopped) return;
      this.ingestList(table, next);
      rv = table.metadata?.resourceVersion ?? rv;
      cont = table.metadata?.continue || undefined;
      if (initial && cont) {
        // Paint the first page while the rest loads.
        this.rows = new Map(next);
        this.publish();
      }
    } while (cont);
    this.rows = next;
    this.rv = rv;
    this.loadedOnce = true;
    this.state = 'ready';
    this.error = undefined;
    this.publish();
  }

  /** Resolves true when the watch ended because the server wants a re-list (410). */
  private async watch(): Promise<boolean> {
    let expired = false;
    let failure: KubeError | undefined;
    const splitter = new LineSplitter((line) => {
      if (!line.trim()) return;
      let ev: any;
      try {
        ev = JSON.parse(line);
      } catch {
        return;
      }
      if (ev.type === 'ERROR') {
        const st = ev.object ?? {};
        if (st.code === 410) expired = true;
        else failure = new KubeError(st.message ?? 'watch error', st.code ?? 500, st.reason, st);
        this.stream?.abort();
        return;
      }
      this.applyEvent(ev.type, ev.object);
    });
    const stream = this.transport.stream({
      path: this.path,
      accept: TABLE_ACCEPT_V1,
      query: {
        watch: 'true',
        resourceVersion: this.rv,
        allowWatchBookmarks: 'true',
        includeObject: 'Object',
        labelSelector: this.query.labelSelector,
        fieldSelector: this.query.fieldSelector,
        timeoutSeconds: 300 + Math.floor(Math.random() * 300),
      },
      onData: (c) => splitter.push(c),
    });
    this.stream = stream;
    await stream.started;
    if (this.state !== 'ready') this.setState('ready');
    await stream.ended;
    splitter.flush();
    if (failure) throw failure;
    return expired;
  }

  private ingestList(doc: any, into: Map<string, Row>): void {
    if (doc?.kind === 'Table') {
      if (doc.columnDefinitions?.length) this.columns = doc.columnDefinitions;
      for (const r of doc.rows ?? []) {
        const row = toRow(r);
        if (row) into.set(row.uid, row);
      }
    } else {
      // A server that ignores the Table Accept header: plain list.
      this.columns = FALLBACK_COLUMNS;
      for (const obj of doc?.items ?? []) {
        const row = plainRow(obj);
        if (row) into.set(row.uid, row);
      }
    }
  }

  private applyEvent(type: string, obj: any): void {
    if (!obj) return;
    const rv = obj.metadata?.resourceVersion;
    if (type === 'BOOKMARK') {
      if (rv) this.rv = rv;
      return;
    }
    const rows: Row[] = [];
    if (obj.kind === 'Table') {
      if (obj.columnDefinitions?.length) this.columns = obj.columnDefinitions;
      for (const r of obj.rows ?? []) {
        const row = toRow(r);
        if (row) rows.push(row);
      }
    } else {
      const row = plainRow(obj);
      if (row) rows.push(row);
    }
    for (const row of rows) {
      if (type === 'DELETED') this.rows.delete(row.uid);
      else this.rows.set(row.uid, row);
      const rowRv = row.object.metadata?.resourceVersion;
      if (rowRv) this.rv = rowRv;
    }
    if (rv) this.rv = rv;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = this.lastPublish + this.coalesceMs - Date.now();
    if (wait <= 0) this.publish();
    else this.timer = setTimeout(() => this.publish(), wait);
  }

  private setState(state: CacheState, error?: string): void {
    this.state = state;
    this.error = error;
    this.publish();
  }

  private publish(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.lastPublish = Date.now();
    this.snapshot = {
      columns: this.columns,
      rows: [...this.rows.values()],
      version: this.snapshot.version + 1,
      state: this.state,
      error: this.error,
      resourceVersion: this.rv,
    };
    for (const fn of [...this.listeners]) fn();
  }
}

function toRow(r: TableRow): Row | undefined {
  const obj = r.object as KObject | undefined;
  const md = obj?.metadata;
  if (!md) return undefined;
  const uid = md.uid || `${md.namespace ?? ''}/${md.name}`;
  return {
    uid,
    name: md.name ?? '',
    namespace: md.namespace,
    cells: (r.cells ?? []).map(cellText),
    object: obj,
    conditions: r.conditions,
  };
}

function plainRow(obj: KObject): Row | undefined {
  const md = obj?.metadata;
  if (!md?.name) return undefined;
  return {
    uid: md.uid || `${md.namespace ?? ''}/${md.name}`,
    name: md.name,
    namespace: md.namespace,
    cells: [md.name, String(md.creationTimestamp ?? '')],
    object: obj,
  };
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
