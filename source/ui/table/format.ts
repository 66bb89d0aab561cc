import type { Row } from '../../client/table-cache.ts';
import type { DisplayColumn } from './columns.ts';
import { cellValue } from './derive.ts';

const MAX_COLUMN = 60;
const MIN_COLUMN = 3;

/** Display width; cells are sanitised to single-width text first, so this is the length. */
export function textWidth(s: string): number {
  return s.length;
}

/** Control characters and tabs would move the cursor and break the frame. */
export function sanitize(s: string): string {
  // eslint-disable-next-line no-control-regex
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
 * Column widths for `available` characters: natural widths (header or widest cell, capped),
 * then the widest columns shrink first until the row fits; columns drop off the right last.
 */
export function layoutColumns(columns: DisplayColumn[], rows: readonly Row[], available: number): ColumnLayout {
  const natural = columns.map((c) => {
    let w = c.name.length + 1; // room for the sort arrow
    for (const r of rows) {
      const v = cellValue(r, c);
      if (v.length > w) w = v.length;
      if (w >= MAX_COLUMN) return MAX_COLUMN;
    }
    return c.isAge ? Math.max(w, 5) : w;
  });
  for (const gap of [2, 1]) {
    const widths = natural.slice();
    let excess = widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1) - available;
    while (excess > 0) {
      let widest = 0;
      for (let i = 1; i < widths.length; i++) if (widths[i] > widths[widest]) widest = i;
      const floor = Math.max(MIN_COLUMN, Math.min(columns[widest].name.length, 8));
      if (widths[widest] <= floor) break;
      const cut = Math.min(excess, widths[widest] - floor, Math.max(1, widths[widest] - secondWidest(widths, widest)));
      widths[widest] -= cut;
      excess -= cut;
    }
    if (excess <= 0) return { widths, count: widths.length, gap };
    if (gap === 1) {
      // Still too wide: drop columns from the right.
      let count = widths.length;
      while (count > 1 && widths.slice(0, count).reduce((a, b) => a + b, 0) + (count - 1) > available) count--;
      widths[0] = Math.min(widths[0], available);
      return { widths, count, gap };
    }
  }
  return { widths: natural, count: natural.length, gap: 1 };
}

function secondWidest(widths: number[], skip: number): number {
  let best = 0;
  widths.forEach((w, i) => {
    if (i !== skip && w > best) best = w;
  });
  return best;
}

/** One table line (header or row) padded to exactly `width` characters. */
export function formatLine(cells: string[], layout: ColumnLayout, width: number): string {
  const parts: string[] = [];
  for (let i = 0; i < layout.count; i++) parts.push(pad(sanitize(cells[i] ?? ''), layout.widths[i]));
  return pad(parts.join(' '.repeat(layout.gap)), width);
}
