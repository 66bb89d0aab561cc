import type { Row, TableSnapshot } from '../../client/table-cache.ts';
import type { SortSpec } from '../state/types.ts';
import { displayColumns, type DisplayColumn } from './columns.ts';

export interface DerivedTable {
  columns: DisplayColumn[];
  rows: Row[];
  /** Rows before the client-side filter. */
  total: number;
  /** The filter was not a valid regex and was matched as plain text. */
  literalFilter: boolean;
}

export interface DeriveOptions {
  filter: string;
  sort: SortSpec | null;
  wide: boolean;
  showNamespace: boolean;
}

export function cellValue(row: Row, col: DisplayColumn): string {
  return col.cell < 0 ? (row.namespace ?? '') : (row.cells[col.cell] ?? '');
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
  const col = sort ? columns.find((c) => c.name === sort.column) : undefined;
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

export function deriveTable(snapshot: TableSnapshot, opts: DeriveOptions): DerivedTable {
  const columns = displayColumns(snapshot.columns, opts);
  const f = compileFilter(opts.filter);
  let rows = snapshot.rows as Row[];
  if (f) rows = rows.filter((r) => f.test(columns.map((c) => cellValue(r, c))));
  else rows = rows.slice();
  sortRows(rows, columns, opts.sort);
  return { columns, rows, total: snapshot.rows.length, literalFilter: !!f?.literal };
}

/** Remembers the last result so views and key handlers share one derivation per change. */
export function memoDerive(): (snapshot: TableSnapshot, opts: DeriveOptions) => DerivedTable {
  let last: { snapshot: TableSnapshot; opts: DeriveOptions; out: DerivedTable } | undefined;
  return (snapshot, opts) => {
    if (
      last &&
      last.snapshot === snapshot &&
      last.opts.filter === opts.filter &&
      last.opts.sort?.column === opts.sort?.column &&
      last.opts.sort?.desc === opts.sort?.desc &&
      last.opts.wide === opts.wide &&
      last.opts.showNamespace === opts.showNamespace
    ) {
      return last.out;
    }
    const out = deriveTable(snapshot, opts);
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
