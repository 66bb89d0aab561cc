import type { Row } from '../../client/table-cache.ts';
import { cellValue, type DisplayColumn } from './columns.ts';
import { MAX_COLUMN } from './widths.ts';
const MIN_COLUMN = 3;

/** Display width; cells are sanitised to single-width text first, so this is the length. */
export function textWidth(s: string): number {
  return s.length;
}

/** Control characters and tabs would move the cursor and break the frame. */
export function sanitize(s: string): string {
  return s.replace(/\t/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  if (s.length <= width) return s;
  if (width === 1) return '…';
  return s.slice(0, width - 1) + '…';
}

export function pad(s: string, width: number): string {
  const t = truncate(s, width);
  return t + ' '.repeat(width - t.length);
}

export interface ColumnLayout {
  widths: number[];
  /** Columns that did not fit at all are dropped from the right. */
  count: number;
  gap: number;
}

/**
 * Column widths for `available` characters. Natural width = header or widest cell (capped).
 * When that is too wide: the widest ordinary columns shrink to their header width first, then
 * the name column, then everything, with one space between columns instead of two; columns drop
 * off the right last.
 */
export function layoutColumns(columns: DisplayColumn[], rows: readonly Row[], available: number): ColumnLayout {
  const natural = columns.map((c) => {
    let w = c.name.length + 1; // room for the sort arrow
    for (const r of rows) {
      const v = cellValue(r, c);
      if (v.length > w) w = v.length;
      if (w >= MAX_COLUMN) return MAX_COLUMN;
    }
    return c.isAge ? Math.max(w, 4) : w;
  });
  return layoutNatural(columns, natural, available);
}

/** As layoutColumns, from natural widths kept by the row model (table/widths.ts). */
export function layoutNatural(columns: DisplayColumn[], natural: readonly number[], available: number): ColumnLayout {
  const headerFloor = columns.map((c) => Math.max(MIN_COLUMN, Math.min(c.name.length + 1, 12)));
  const phases: Array<(i: number) => number | undefined> = [
    (i) => (columns[i].isName ? undefined : headerFloor[i]),
    (i) => (columns[i].isName ? Math.min(natural[i], 16) : headerFloor[i]),
    () => MIN_COLUMN,
  ];
  for (const gap of [2, 1]) {
    const widths = natural.slice();
    let excess = widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1) - available;
    for (const floor of phases) {
      if (excess <= 0) break;
      excess = shrink(widths, excess, floor);
      if (gap === 2 && floor === phases[1]) break; // try a narrower gap before cutting harder
    }
    if (excess <= 0) return { widths, count: widths.length, gap };
    if (gap === 1) {
      let count = widths.length;
      while (count > 1 && widths.slice(0, count).reduce((a, b) => a + b, 0) + (count - 1) > available) count--;
      widths[0] = Math.min(widths[0], available);
      return { widths, count, gap };
    }
  }
  return { widths: natural.slice(), count: natural.length, gap: 1 };
}

/** Shrinks the widest shrinkable column one step at a time; returns what is still too much. */
function shrink(widths: number[], excess: number, floor: (i: number) => number | undefined): number {
  while (excess > 0) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      const f = floor(i);
      if (f === undefined || widths[i] <= f) continue;
      if (widest < 0 || widths[i] > widths[widest]) widest = i;
    }
    if (widest < 0) return excess;
    widths[widest]--;
    excess--;
  }
  return excess;
}

/** One table line (header or row) padded to exactly `width` characters. */
export function formatLine(cells: string[], layout: ColumnLayout, width: number): string {
  const parts: string[] = [];
  for (let i = 0; i < layout.count; i++) parts.push(pad(sanitize(cells[i] ?? ''), layout.widths[i]));
  return pad(parts.join(' '.repeat(layout.gap)), width);
}

/**
 * Where the AGE column sits in a row line (the line starts with one space of padding), as
 * [from, to) characters; undefined without a visible AGE column.
 */
export function ageColumnSpan(columns: DisplayColumn[], layout: ColumnLayout): [number, number] | undefined {
  const i = columns.findIndex((c) => c.isAge);
  if (i < 0 || i >= layout.count) return undefined;
  let from = 1;
  for (let k = 0; k < i; k++) from += layout.widths[k] + layout.gap;
  return [from, from + layout.widths[i]];
}
