import type { TableSnapshot } from '../../client/table-cache.ts';
import { sparkline } from '../features/pulses-text.ts';
import type { RowSource } from '../sources.ts';

/** Replica counts remembered per autoscaler (one per change seen). */
const KEEP = 24;

/**
 * `:hpa` with a REPLICAS TREND column: a sparkline of each autoscaler's current replicas as they
 * changed while the view was open, scaled to its maxReplicas, before AGE.
 */
export class HpaTrendSource implements RowSource {
  private history = new Map<string, number[]>();
  private last?: { base: TableSnapshot; out: TableSnapshot };

  constructor(private readonly base: RowSource) {}

  subscribe = (fn: () => void): (() => void) => this.base.subscribe(fn);

  getSnapshot = (): TableSnapshot => {
    const base = this.base.getSnapshot();
    if (this.last?.base === base) return this.last.out;
    const at = base.columns.findIndex((c) => c.name.toLowerCase() === 'age');
    const pos = at < 0 ? base.columns.length : at;
    const columns = [
      ...base.columns.slice(0, pos),
      {
        name: 'Replicas Trend',
        type: 'string',
        format: '',
        description: 'currentReplicas as it changed, scaled to maxReplicas',
        priority: 0,
      },
      ...base.columns.slice(pos),
    ];
    const rows = base.rows.map((row) => {
      const obj = row.object as { spec?: { maxReplicas?: number }; status?: { currentReplicas?: number } };
      const h = this.history.get(row.uid) ?? [];
      const current = obj.status?.currentReplicas ?? 0;
      if (h[h.length - 1] !== current) h.push(current);
      if (h.length > KEEP) h.shift();
      this.history.set(row.uid, h);
      const trend = `${sparkline(h, obj.spec?.maxReplicas ?? 0)} ${current}`;
      return {
        ...row,
        cells: row.cells.length >= pos ? [...row.cells.slice(0, pos), trend, ...row.cells.slice(pos)] : row.cells,
      };
    });
    const out = { ...base, columns, rows, changes: undefined }; // rows decorated afresh: no patching
    this.last = { base, out };
    return out;
  };

  refresh(): void {
    this.base.refresh?.();
  }
}
