import type { Row, TableSnapshot } from '../client/table-cache.ts';
import type { RowSource } from './sources.ts';

const WORST: TableSnapshot['state'][] = ['error', 'reconnecting', 'loading', 'ready'];

/**
 * One table over several sources (one watch per namespace of a multi-namespace scope): rows
 * concatenated, columns from the first source that has them, the least healthy state shown.
 */
export class MergedSource implements RowSource {
  private snapshot: TableSnapshot = { columns: [], rows: [], version: 0, state: 'loading' };
  private seen: TableSnapshot[] = [];

  constructor(private readonly sources: RowSource[]) {}

  subscribe = (fn: () => void): (() => void) => {
    const offs = this.sources.map((s) => s.subscribe(fn));
    return () => offs.forEach((off) => off());
  };

  getSnapshot = (): TableSnapshot => {
    const snaps = this.sources.map((s) => s.getSnapshot());
    if (snaps.length === this.seen.length && snaps.every((s, i) => s === this.seen[i])) return this.snapshot;
    this.seen = snaps;
    const rows: Row[] = [];
    for (const s of snaps) rows.push(...s.rows);
    const state = WORST.find((st) => snaps.some((s) => s.state === st)) ?? 'ready';
    const error = snaps.find((s) => s.error)?.error;
    this.snapshot = {
      columns: snaps.find((s) => s.columns.length)?.columns ?? [],
      rows,
      version: this.snapshot.version + 1,
      state,
      error,
    };
    return this.snapshot;
  };

  refresh(): void {
    for (const s of this.sources) s.refresh?.();
  }
}
