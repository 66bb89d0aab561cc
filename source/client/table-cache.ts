import type { KObject, ListMeta, ObjectMeta, Status, TableColumnDefinition, TableRow } from '../api-types/index.ts';
import { KubeError, errorMessage } from './errors.ts';
import { CellInterner, ValueInterner } from './interner.ts';
import { LineSplitter } from './lines.ts';
import { rowResources, type RowResources } from './row-resources.ts';
import { resourcePath, type ResourceInfo } from './resource.ts';
import type { StreamHandle, Transport } from './transport.ts';

/** A list or watch answer: a Table when the server honours the Table Accept, else a plain list/object. */
interface TableOrObject {
  kind?: string;
  metadata?: ObjectMeta & ListMeta;
  columnDefinitions?: TableColumnDefinition[];
  rows?: TableRow[];
  items?: KObject[];
}

interface WatchLine {
  type: string;
  object?: TableOrObject & Partial<Pick<Status, 'code' | 'message' | 'reason'>>;
}

/** Ask for server-side Tables (v1 only: the watch decoder below reads v1 rows). */
export const TABLE_ACCEPT_V1 = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

export interface CacheQuery {
  resource: ResourceInfo;
  /** Undefined: all namespaces (or a cluster-scoped resource). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * `metadata`: rows keep the Table cells and the object's metadata only (includeObject=Metadata),
   * for views that just draw rows; whoever needs the spec GETs the object. 50,000 full pods are
   * hundreds of MB in the client. `resources`: as `metadata`, plus the few figures the usage
   * columns read from the full object (requests, limits, allocatable) kept in `Row.resources`.
   */
  objects?: RowObjects;
}

export type RowObjects = 'full' | 'metadata' | 'resources';

export interface Row {
  uid: string;
  name: string;
  namespace?: string;
  cells: string[];
  /** The full object (includeObject=Object), or a PartialObjectMetadata for `objects: 'metadata'` caches. */
  object: KObject;
  conditions?: TableRow['conditions'];
  /** For `objects: 'resources'` caches of pods and nodes. */
  resources?: RowResources;
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
  /** Rows are already in the order to show (a tree, a ranking): no default sort by name. */
  ordered?: boolean;
  /** The order `ordered` rows keep, when it is one: a view can place changed rows by binary search. */
  order?: (a: Row, b: Row) => number;
  /** Why the rows may lag (no watch, a watch just restarted): for the view's title. */
  notice?: string;
  /**
   * How `rows` differ from the snapshot of version `since` (watch events since the last publish):
   * a view can patch its sorted rows instead of re-deriving all of them. Absent after a (re)list.
   */
  changes?: RowChanges;
}

/** A row replaced by a watch event is in both lists: its old object removed, its new one added. */
export interface RowChanges {
  since: number;
  removed: readonly Row[];
  added: readonly Row[];
}

export interface CacheOptions {
  /** Watch events are applied at once but published at most this often (leading + trailing). */
  coalesceMs?: number;
  pageSize?: number;
  maxBackoffMs?: number;
  /** No bytes on a watch for this long means the connection is dead (apiservers send bookmarks). */
  silenceMs?: number;
  /** Re-list period when the resource cannot be watched (403/405 on watch, no `watch` verb). */
  relistMs?: number;
}

/** During a first paged list, rows are painted at most this often. */
const PAGE_PAINT_MS = 1000;
/**
 * The first page of a first list asks for about a screenful: it is painted while the rest loads,
 * and a page of 500 full pods (~0.8 MB to serialize, send and parse) delayed the first rows.
 */
const FIRST_PAGE_ROWS = 100;

function envMs(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** `2m`, `15s`: for notices. */
function shortDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 && s % 60 === 0 ? `${s / 60}m` : `${s}s`;
}

const FALLBACK_COLUMNS: TableColumnDefinition[] = [
  { name: 'Name', type: 'string', format: 'name', description: '', priority: 0 },
  { name: 'Created At', type: 'date', format: '', description: '', priority: 0 },
];

export function cacheKey(q: CacheQuery): string {
  const ns = q.resource.namespaced ? (q.namespace ?? '*') : '-';
  return [
    q.resource.group,
    q.resource.plural,
    ns,
    q.labelSelector ?? '',
    q.fieldSelector ?? '',
    q.objects === 'metadata' ? 'm' : q.objects === 'resources' ? 'r' : '',
  ].join('|');
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
  private notice?: string;
  private noticeTimer?: NodeJS.Timeout;
  private readonly coalesceMs: number;
  private readonly pageSize: number;
  private readonly maxBackoffMs: number;
  private readonly silenceMs: number;
  private readonly relistMs: number;
  private readonly interner = new RowInterner();
  /** Rows touched since the last publish: as they were then (undefined: absent), by uid. */
  private touched = new Map<string, Row | undefined>();
  /** The rows were replaced wholesale (a list): the next snapshot carries no changes. */
  private relisted = true;

  constructor(
    private readonly transport: Transport,
    readonly query: CacheQuery,
    opts: CacheOptions = {},
  ) {
    this.coalesceMs = opts.coalesceMs ?? 150;
    this.pageSize = opts.pageSize ?? 500;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.silenceMs = opts.silenceMs ?? envMs('SKIFF_WATCH_SILENCE_MS', 120_000);
    this.relistMs = opts.relistMs ?? envMs('SKIFF_RELIST_MS', 15_000);
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
    clearTimeout(this.noticeTimer);
    this.timer = this.retryTimer = this.noticeTimer = undefined;
  }

  /** Drop everything and list again (e.g. after the user asked for a refresh). */
  refresh(): void {
    if (this.stopped) return;
    this.rv = undefined;
    this.stream?.abort();
  }

  private get includeObject(): string {
    return this.query.objects === 'metadata' ? 'Metadata' : 'Object';
  }

  private toRow(r: TableRow): Row | undefined {
    return toRow(r, this.query.objects ?? 'full', this.interner, this.query.resource.kind);
  }

  private get path(): string {
    const q = this.query;
    return resourcePath(q.resource, q.resource.namespaced ? q.namespace : undefined);
  }

  private async run(relist: boolean): Promise<void> {
    while (!this.stopped) {
      let listing = false;
      try {
        if (relist || !this.rv) {
          listing = true;
          await this.list();
          listing = false;
        }
        relist = false;
        if (this.stopped) return;
        if (!this.query.resource.verbs.includes('watch')) {
          // metrics, componentstatuses: list-only resources are polled.
          this.setNotice(`no watch · re-listing every ${shortDuration(this.relistMs)}`);
          await this.sleep(this.relistMs);
          relist = true;
          continue;
        }
        const end = await this.watch();
        this.backoff = 0;
        if (end === 'expired') relist = true;
        else if (end === 'silent')
          this.setNotice(`watch restarted: no data for ${shortDuration(this.silenceMs)}`, 60_000);
      } catch (err) {
        if (this.stopped) return;
        const e = err instanceof KubeError ? err : new KubeError(errorMessage(err), 0);
        if (e.code === 410 && !listing) {
          relist = true;
          continue;
        }
        if (!listing && (e.code === 403 || e.code === 405)) {
          // Allowed to list but not to watch (RBAC), or the server cannot watch it: poll.
          this.setNotice(
            `no watch (${e.reason ?? `HTTP ${e.code}`}) · re-listing every ${shortDuration(this.relistMs)}`,
          );
          if (this.state !== 'ready') this.setState('ready');
          await this.sleep(this.relistMs);
          relist = true;
          continue;
        }
        this.setState(this.loadedOnce ? 'reconnecting' : 'error', e.message);
        const permanent = e.code === 403 || e.code === 404 || e.code === 401;
        // An expired continue token (410 mid-list) backs off like any failure, as client-go does.
        this.backoff = permanent ? this.maxBackoffMs : Math.min(this.maxBackoffMs, Math.max(500, this.backoff * 2));
        if (e.retryAfterMs !== undefined) this.backoff = Math.max(this.backoff, Math.min(e.retryAfterMs, 60_000));
        await this.sleep(this.backoff);
        // A list failing halfway leaves rv unset, so the next turn lists again.
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((r) => (this.retryTimer = setTimeout(r, ms)));
  }

  /** A title note; with `forMs` it clears itself. */
  private setNotice(notice: string | undefined, forMs?: number): void {
    clearTimeout(this.noticeTimer);
    this.noticeTimer = undefined;
    if (forMs) {
      this.noticeTimer = setTimeout(() => this.setNotice(undefined), forMs);
      this.noticeTimer.unref?.();
    }
    if (notice === this.notice) return;
    this.notice = notice;
    this.publish();
  }

  private async list(): Promise<void> {
    const next = new Map<string, Row>();
    const initial = this.rows.size === 0 && this.snapshot.version === 0;
    let cont: string | undefined;
    let rv: string | undefined;
    let lastPaint = 0;
    do {
      const table = await this.transport.json<TableOrObject>({
        path: this.path,
        accept: TABLE_ACCEPT_V1,
        query: {
          includeObject: this.includeObject,
          limit: initial && !cont ? Math.min(this.pageSize, FIRST_PAGE_ROWS) : this.pageSize,
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
      if (initial && cont && Date.now() - lastPaint >= PAGE_PAINT_MS) {
        // Paint the first page while the rest loads, then about once a second: each paint
        // re-sorts every row so far, and 100 pages of 500 painted one by one cost more than the list.
        // No watch runs during the first list, so the map being filled can be shown as it is.
        lastPaint = Date.now();
        this.rows = next;
        this.relisted = true;
        this.publish();
      }
    } while (cont);
    this.rows = next;
    this.relisted = true;
    this.rv = rv;
    this.loadedOnce = true;
    this.state = 'ready';
    this.error = undefined;
    this.publish();
  }

  /**
   * One watch stream until it ends: `expired` when the server wants a re-list (410), `silent`
   * when no bytes came for `silenceMs` (a dead connection after sleep or a network switch).
   */
  private async watch(): Promise<'ended' | 'expired' | 'silent'> {
    let expired = false;
    let silent = false;
    let lastData = Date.now();
    let failure: KubeError | undefined;
    const splitter = new LineSplitter((line) => {
      if (!line.trim()) return;
      let ev: WatchLine;
      try {
        ev = JSON.parse(line);
      } catch {
        return;
      }
      if (ev.type === 'ERROR') {
        const st = ev.object ?? {};
        if (st.code === 410) expired = true;
        else failure = new KubeError(st.message ?? 'watch error', st.code ?? 500, st.reason, st as Status);
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
        includeObject: this.includeObject,
        labelSelector: this.query.labelSelector,
        fieldSelector: this.query.fieldSelector,
        timeoutSeconds: 300 + Math.floor(Math.random() * 300),
      },
      onData: (c) => {
        lastData = Date.now();
        splitter.push(c);
      },
    });
    this.stream = stream;
    await stream.started;
    if (this.notice?.startsWith('no watch')) this.setNotice(undefined);
    if (this.state !== 'ready') this.setState('ready');
    lastData = Date.now();
    const watchdog = setInterval(
      () => {
        if (Date.now() - lastData < this.silenceMs) return;
        silent = true;
        stream.abort();
      },
      Math.min(5_000, Math.max(100, this.silenceMs / 4)),
    );
    watchdog.unref?.();
    try {
      await stream.ended;
    } finally {
      clearInterval(watchdog);
    }
    splitter.flush();
    if (failure) throw failure;
    return expired ? 'expired' : silent ? 'silent' : 'ended';
  }

  private ingestList(doc: TableOrObject | undefined, into: Map<string, Row>): void {
    if (doc?.kind === 'Table') {
      if (doc.columnDefinitions?.length) this.columns = doc.columnDefinitions;
      for (const r of doc.rows ?? []) {
        const row = this.toRow(r);
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

  private applyEvent(type: string, obj: TableOrObject | undefined): void {
    if (!obj) return;
    const rv = obj.metadata?.resourceVersion;
    if (type === 'BOOKMARK') {
      if (rv) this.rv = rv;
      return;
    }
    const rows: Row[] = [];
    if (obj.kind === 'Table') {
      // Kept as the same array when unchanged: views patch their rows only under the same columns.
      if (obj.columnDefinitions?.length && !sameColumns(this.columns, obj.columnDefinitions))
        this.columns = obj.columnDefinitions;
      for (const r of obj.rows ?? []) {
        const row = this.toRow(r);
        if (row) rows.push(row);
      }
    } else {
      const row = plainRow(obj as KObject);
      if (row) rows.push(row);
    }
    for (const row of rows) {
      if (!this.touched.has(row.uid)) this.touched.set(row.uid, this.rows.get(row.uid));
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
    const prev = this.snapshot;
    let changes: RowChanges | undefined;
    if (!this.relisted) {
      const removed: Row[] = [];
      const added: Row[] = [];
      for (const [uid, before] of this.touched) {
        const after = this.rows.get(uid);
        if (before === after) continue;
        if (before) removed.push(before);
        if (after) added.push(after);
      }
      changes = { since: prev.version, removed, added };
    }
    this.touched.clear();
    this.relisted = false;
    this.snapshot = {
      columns: this.columns,
      // A title-only change (state, notice) keeps the same rows array.
      rows: changes && !changes.removed.length && !changes.added.length ? prev.rows : [...this.rows.values()],
      changes,
      version: prev.version + 1,
      state: this.state,
      error: this.error,
      resourceVersion: this.rv,
      notice: this.notice,
    };
    for (const fn of [...this.listeners]) fn();
  }
}

// Interner slots for metadata fields, past any cell column.
const NAMESPACE = 1000;
const CREATED = 1001;
const LABEL_KEY = 1002;
const LABEL_VALUE = 1003;

/** What rows of one cache share: repeated cells and metadata strings, label sets, resource figures. */
class RowInterner extends CellInterner {
  readonly labels = new ValueInterner<Record<string, string>>();
  readonly resources = new ValueInterner<RowResources>();
}

function toRow(r: TableRow, objects: RowObjects, interner: RowInterner, kind: string): Row | undefined {
  const obj = r.object as KObject | undefined;
  const md = obj?.metadata;
  if (!md) return undefined;
  const uid = md.uid || `${md.namespace ?? ''}/${md.name}`;
  // managedFields are often most of an object's bytes and no view shows them; a metadata-only
  // row's annotations (last-applied-configuration, …) are read from the GET that YAML,
  // describe and actions make anyway.
  delete md.managedFields;
  let object = obj;
  let resources: RowResources | undefined;
  if (objects === 'resources' && obj.kind !== 'PartialObjectMetadata') {
    // Keep the figures the usage columns need, drop the rest as a metadata-only row does.
    const figures = rowResources(obj, kind);
    if (figures) resources = interner.resources.intern(Object.values(figures).join('|'), figures);
    object = { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata: md };
  }
  if (object.kind === 'PartialObjectMetadata') {
    delete md.annotations;
    if (md.namespace) md.namespace = interner.intern(NAMESPACE, md.namespace);
    if (typeof md.creationTimestamp === 'string') md.creationTimestamp = interner.intern(CREATED, md.creationTimestamp);
    if (md.labels) {
      const labels: Record<string, string> = {};
      let key = '';
      for (const [k, v] of Object.entries(md.labels)) {
        labels[interner.intern(LABEL_KEY, k)] = interner.intern(LABEL_VALUE, v);
        key += `${k}\u0000${v}\u0000`;
      }
      md.labels = interner.labels.intern(key, labels);
    }
  }
  const name = md.name ?? '';
  const cells = (r.cells ?? []).map((v, i) => {
    const text = cellText(v);
    return text === name ? name : interner.intern(i, text);
  });
  // Every field in the literal, `resources` too: a property added later costs each row a
  // separate property array.
  return { uid, name, namespace: md.namespace, cells, object, conditions: r.conditions, resources };
}

function sameColumns(a: readonly TableColumnDefinition[], b: readonly TableColumnDefinition[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (c, i) =>
        c.name === b[i].name && c.priority === b[i].priority && c.type === b[i].type && c.format === b[i].format,
    )
  );
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
