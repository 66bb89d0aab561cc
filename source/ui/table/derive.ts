import type { Row, TableSnapshot } from '../../client/table-cache.ts';
import type { SortSpec } from '../state/types.ts';
import { cellValue, displayColumns, type DisplayColumn } from './columns.ts';
import { WidthCounts } from './widths.ts';

export { cellValue };

export interface DerivedTable {
  columns: DisplayColumn[];
  rows: Row[];
  /** Rows before the client-side filter. */
  total: number;
  /** The filter was not a valid regex and was matched as plain text. */
  literalFilter: boolean;
  /** Each column's natural width over `rows` (header or widest cell, capped). */
  natural: number[];
}

export interface DeriveOptions {
  filter: string;
  sort: SortSpec | null;
  wide: boolean;
  showNamespace: boolean;
}

/**
 * `/text` is a case-insensitive regex over the visible cells (any cell, or the whole line, may
 * match, so `^web` and `default.*web` both work); `!text` keeps the rows that do not match.
 */
export function compileFilter(filter: string): { test: (cells: string[]) => boolean; literal: boolean } | null {
  let f = filter.trim();
  if (!f) return null;
  const invert = f.startsWith('!');
  if (invert) f = f.slice(1);
  if (!f) return null;
  let match: (s: string) => boolean;
  let literal = false;
  try {
    const re = new RegExp(f, 'i');
    match = (s) => re.test(s);
  } catch {
    literal = true;
    const needle = f.toLowerCase();
    match = (s) => s.toLowerCase().includes(needle);
  }
  const test = (cells: string[]) => cells.some(match) || match(cells.join(' '));
  return { test: invert ? (c) => !test(c) : test, literal };
}

function timestamp(row: Row): number {
  const t = Date.parse(String(row.object?.metadata?.creationTimestamp ?? ''));
  return Number.isNaN(t) ? 0 : t;
}

/** Lower-cased, digit runs zero-padded: plain string order is then natural order (`web-2` < `web-10`). */
export function naturalKey(s: string): string {
  return s.toLowerCase().replace(/\d+/g, (d) => d.padStart(12, '0'));
}

// Keys per row object: rows are replaced when they change, so unchanged rows keep their keys.
const nameKeys = new WeakMap<Row, string>();
const cellKeys = new WeakMap<Row, Map<number, string>>();

function nameKey(r: Row): string {
  let k = nameKeys.get(r);
  if (k === undefined) nameKeys.set(r, (k = naturalKey(`${r.namespace ?? ''}\u0000${r.name}`)));
  return k;
}

function cellKey(r: Row, col: DisplayColumn): string {
  let m = cellKeys.get(r);
  if (!m) cellKeys.set(r, (m = new Map()));
  let k = m.get(col.cell);
  if (k === undefined) m.set(col.cell, (k = naturalKey(cellValue(r, col))));
  return k;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Sorts by the chosen column (natural order; AGE by creation time), then by namespace and name. */
function sortRows(rows: Row[], columns: DisplayColumn[], sort: SortSpec | null): void {
  const col = sortColumn(columns, sort);
  const dir = sort?.desc ? -1 : 1;
  // Decorate once, sort on plain fields, undecorate: no lookups inside the comparator.
  const items = rows.map((r) => ({
    r,
    name: nameKey(r),
    key: !col ? '' : col.isAge ? '' : cellKey(r, col),
    t: col?.isAge ? -timestamp(r) : 0,
  }));
  if (!col) items.sort((a, b) => cmp(a.name, b.name));
  else if (col.isAge) items.sort((a, b) => dir * (a.t - b.t) || cmp(a.name, b.name));
  else items.sort((a, b) => dir * cmp(a.key, b.key) || cmp(a.name, b.name));
  for (let i = 0; i < items.length; i++) rows[i] = items[i].r;
}

function sortColumn(columns: DisplayColumn[], sort: SortSpec | null): DisplayColumn | undefined {
  return sort ? columns.find((c) => c.name === sort.column) : undefined;
}

/** The order sortRows gives, one pair at a time (for binary search when patching). */
export function rowOrder(columns: DisplayColumn[], sort: SortSpec | null): (a: Row, b: Row) => number {
  const col = sortColumn(columns, sort);
  const dir = sort?.desc ? -1 : 1;
  if (!col) return (a, b) => cmp(nameKey(a), nameKey(b));
  if (col.isAge) return (a, b) => dir * (timestamp(b) - timestamp(a)) || cmp(nameKey(a), nameKey(b));
  return (a, b) => dir * cmp(cellKey(a, col), cellKey(b, col)) || cmp(nameKey(a), nameKey(b));
}

/** deriveTable with the width counts a later patch adjusts. */
export function deriveModel(snapshot: TableSnapshot, opts: DeriveOptions): DerivedTable & { widths: WidthCounts } {
  const columns = displayColumns(snapshot.columns, opts);
  const f = compileFilter(opts.filter);
  let rows = snapshot.rows as Row[];
  if (f) rows = rows.filter((r) => f.test(columns.map((c) => cellValue(r, c))));
  else rows = rows.slice();
  if (opts.sort || !snapshot.ordered) sortRows(rows, columns, opts.sort);
  const widths = WidthCounts.of(columns, rows);
  return { columns, rows, total: snapshot.rows.length, literalFilter: !!f?.literal, natural: widths.natural(), widths };
}

export function deriveTable(snapshot: TableSnapshot, opts: DeriveOptions): DerivedTable {
  const { widths: _, ...out } = deriveModel(snapshot, opts);
  return out;
}

/** First index whose row sorts at or after `row`. */
function lowerBound(rows: readonly Row[], row: Row, order: (a: Row, b: Row) => number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (order(rows[mid], row) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** More changed rows than this share of the table: a full derive is as cheap as patching. */
const PATCH_LIMIT = 0.1;

/**
 * The previous result with a snapshot's watch changes applied: each removed row found by binary
 * search and cut out, each added row that passes the filter inserted at its place, the column
 * widths adjusted row by row. Undefined when the changes cannot be patched in (too many, or the
 * rows keep the source's own order and it gives no comparator for it).
 */
export function patchDerived(
  prev: DerivedTable & { widths: WidthCounts },
  snapshot: TableSnapshot,
  opts: DeriveOptions,
): (DerivedTable & { widths: WidthCounts }) | undefined {
  const ch = snapshot.changes;
  const own = snapshot.ordered && !opts.sort;
  if (!ch || (own && !snapshot.order)) return undefined;
  if (ch.removed.length + ch.added.length > Math.max(64, PATCH_LIMIT * prev.rows.length)) return undefined;
  const columns = prev.columns;
  const f = compileFilter(opts.filter);
  const passes = (r: Row) => !f || f.test(columns.map((c) => cellValue(r, c)));
  const order = own ? snapshot.order! : rowOrder(columns, opts.sort);
  const rows = prev.rows.slice();
  const widths = prev.widths.clone();
  for (const r of ch.removed) {
    if (!passes(r)) continue;
    let i = lowerBound(rows, r, order);
    while (i < rows.length && rows[i] !== r && order(rows[i], r) === 0) i++;
    if (rows[i] !== r) i = rows.indexOf(r);
    if (i < 0) return undefined; // not where it should be: derive afresh
    rows.splice(i, 1);
    widths.remove(r);
  }
  for (const r of ch.added) {
    if (!passes(r)) continue;
    let i = lowerBound(rows, r, order);
    while (i < rows.length && order(rows[i], r) === 0) i++; // after its equals, as a stable sort puts it
    rows.splice(i, 0, r);
    widths.add(r);
  }
  return { columns, rows, total: snapshot.rows.length, literalFilter: !!f?.literal, natural: widths.natural(), widths };
}

const sameOpts = (a: DeriveOptions, b: DeriveOptions) =>
  a.filter === b.filter &&
  a.sort?.column === b.sort?.column &&
  a.sort?.desc === b.sort?.desc &&
  a.wide === b.wide &&
  a.showNamespace === b.showNamespace;

/**
 * Remembers the last result so views and key handlers share one derivation per change; a
 * snapshot that says what changed since the remembered one is patched in (see patchDerived), so a
 * watch event on a 50,000-row table costs a few binary searches, not a sort and a width scan.
 */
export function memoDerive(): (snapshot: TableSnapshot, opts: DeriveOptions) => DerivedTable {
  let last: { snapshot: TableSnapshot; opts: DeriveOptions; out: DerivedTable & { widths: WidthCounts } } | undefined;
  return (snapshot, opts) => {
    if (last && last.snapshot === snapshot && sameOpts(last.opts, opts)) return last.out;
    let out: (DerivedTable & { widths: WidthCounts }) | undefined;
    if (
      last &&
      sameOpts(last.opts, opts) &&
      snapshot.changes?.since === last.snapshot.version &&
      snapshot.columns === last.snapshot.columns
    ) {
      out = patchDerived(last.out, snapshot, opts);
    }
    out ??= deriveModel(snapshot, opts);
    last = { snapshot, opts, out };
    return out;
  };
}

/** The index of the selected row: by uid, else the remembered index clamped to the rows. */
export function selectedIndex(rows: readonly Row[], uid: string | undefined, fallback: number): number {
  if (rows.length === 0) return -1;
  if (uid) {
    const i = rows.findIndex((r) => r.uid === uid);
    if (i >= 0) return i;
  }
  return Math.max(0, Math.min(fallback, rows.length - 1));
}

/** First visible row so that `index` is on screen, moving as little as possible from `top`. */
export function scrollTop(top: number, index: number, height: number, count: number): number {
  if (height <= 0) return 0;
  let t = Math.min(top, Math.max(0, count - height));
  if (index >= 0) {
    if (index < t) t = index;
    if (index >= t + height) t = index - height + 1;
  }
  return Math.max(0, t);
}
