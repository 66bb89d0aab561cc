import type { Row } from '../../client/table-cache.ts';
import { cellValue, type DisplayColumn } from './columns.ts';

export const MAX_COLUMN = 60;

/**
 * The natural width of each column (header or widest cell, capped), kept as a count of cells per
 * width so that a changed row adjusts it in O(columns) instead of a scan of every row: removing
 * the only widest cell steps down to the next width that has cells.
 */
export class WidthCounts {
  private readonly counts: Uint32Array[];

  constructor(private readonly columns: readonly DisplayColumn[]) {
    this.counts = columns.map(() => new Uint32Array(MAX_COLUMN + 1));
  }

  static of(columns: readonly DisplayColumn[], rows: readonly Row[]): WidthCounts {
    const w = new WidthCounts(columns);
    for (const r of rows) w.add(r);
    return w;
  }

  clone(): WidthCounts {
    const w = new WidthCounts(this.columns);
    this.counts.forEach((c, i) => w.counts[i].set(c));
    return w;
  }

  add(row: Row): void {
    this.step(row, 1);
  }

  remove(row: Row): void {
    this.step(row, -1);
  }

  private step(row: Row, by: 1 | -1): void {
    for (let i = 0; i < this.columns.length; i++) {
      const len = Math.min(MAX_COLUMN, cellValue(row, this.columns[i]).length);
      this.counts[i][len] += by;
    }
  }

  /** As a full scan computes it: header + 1 (the sort arrow), the widest cell, at most MAX_COLUMN; AGE at least 4. */
  natural(): number[] {
    return this.columns.map((c, i) => {
      const counts = this.counts[i];
      let widest = 0;
      for (let len = MAX_COLUMN; len > 0; len--) {
        if (counts[len] > 0) {
          widest = len;
          break;
        }
      }
      if (widest >= MAX_COLUMN) return MAX_COLUMN;
      const w = Math.max(c.name.length + 1, widest);
      return c.isAge ? Math.max(w, 4) : w;
    });
  }
}
