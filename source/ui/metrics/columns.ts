import type { TableColumnDefinition } from '../../api-types/index.ts';
import { quantityValue, type MetricsSnapshot, type Usage } from '../../client/metrics.ts';
import { rowResources, type RowResources } from '../../client/row-resources.ts';
import type { Row, TableSnapshot } from '../../client/table-cache.ts';

export type MetricsKind = 'pods' | 'nodes';

const NA = 'n/a';

/** priority 1: shown in wide mode (ctrl-w), so names keep their room on narrow terminals. */
function col(name: string, description: string, priority = 0): TableColumnDefinition {
  return { name, type: 'string', format: '', description, priority };
}

/** k9s's usage columns: pods against requests (/R) and limits (/L), nodes against allocatable. */
export const METRIC_COLUMNS: Record<MetricsKind, TableColumnDefinition[]> = {
  pods: [
    col('CPU', 'CPU usage (metrics.k8s.io)'),
    col('MEM', 'Memory usage (metrics.k8s.io)'),
    col('%CPU/R', 'CPU usage against the requests', 1),
    col('%CPU/L', 'CPU usage against the limits', 1),
    col('%MEM/R', 'Memory usage against the requests', 1),
    col('%MEM/L', 'Memory usage against the limits', 1),
  ],
  nodes: [
    col('CPU', 'CPU usage (metrics.k8s.io)'),
    col('MEM', 'Memory usage (metrics.k8s.io)'),
    col('%CPU', 'CPU usage against allocatable'),
    col('%MEM', 'Memory usage against allocatable'),
    col('CPU/A', 'Allocatable CPU', 1),
    col('MEM/A', 'Allocatable memory', 1),
  ],
};

export const cpuText = (cores: number) => `${Math.round(cores * 1000)}m`;
export const memText = (bytes: number) => `${Math.round(bytes / 2 ** 20)}Mi`;
const percent = (used: number, of: number | undefined) => (of && of > 0 ? `${Math.round((used / of) * 100)}` : NA);

/** The row's figures: kept by a `resources` cache, else read from a full object. */
function figures(row: Row, kind: MetricsKind): RowResources {
  return row.resources ?? rowResources(row.object, kind === 'pods' ? 'Pod' : 'Node') ?? {};
}

function podCells(row: Row, usage: Usage | undefined): readonly string[] {
  if (!usage) return POD_NA;
  const f = figures(row, 'pods');
  return [
    cpuText(usage.cpu),
    memText(usage.memory),
    percent(usage.cpu, f.cpuRequest),
    percent(usage.cpu, f.cpuLimit),
    percent(usage.memory, f.memoryRequest),
    percent(usage.memory, f.memoryLimit),
  ];
}

const POD_NA: readonly string[] = [NA, NA, NA, NA, NA, NA];

function nodeCells(row: Row, usage: Usage | undefined): readonly string[] {
  const f = figures(row, 'nodes');
  const cpuA = f.cpuAllocatable;
  const memA = f.memoryAllocatable;
  const allocCells = [cpuA !== undefined ? cpuText(cpuA) : NA, memA !== undefined ? memText(memA) : NA];
  if (!usage) return [NA, NA, NA, NA, ...allocCells];
  return [
    cpuText(usage.cpu),
    memText(usage.memory),
    percent(usage.cpu, cpuA),
    percent(usage.memory, memA),
    ...allocCells,
  ];
}

/** Decorated rows by base row, valid for one metrics version: a watch event redoes one row, not all. */
export interface MetricRowCache {
  version: number;
  rows: WeakMap<Row, Row>;
  /** The decorated columns of the last base columns: the same array while they do not change. */
  columns?: { base: TableSnapshot['columns']; out: TableSnapshot['columns'] };
}

/**
 * The snapshot with the usage columns inserted before AGE (at the end when there is none), as
 * k9s places them. Rows without figures read `n/a`.
 */
export function withMetricColumns(
  snapshot: TableSnapshot,
  metrics: MetricsSnapshot,
  kind: MetricsKind,
  cache?: MetricRowCache,
): TableSnapshot {
  const at = snapshot.columns.findIndex((c) => c.name.toLowerCase() === 'age');
  const pos = at < 0 ? snapshot.columns.length : at;
  const extra = METRIC_COLUMNS[kind];
  let columns = cache?.columns?.base === snapshot.columns ? cache.columns.out : undefined;
  if (!columns) {
    columns = [...snapshot.columns.slice(0, pos), ...extra, ...snapshot.columns.slice(pos)];
    if (cache) cache.columns = { base: snapshot.columns, out: columns };
  }
  const sameVersion = !cache || cache.version === metrics.version;
  if (cache && cache.version !== metrics.version) {
    cache.version = metrics.version;
    cache.rows = new WeakMap();
  }
  const decorate = (row: Row): Row => {
    const known = cache?.rows.get(row);
    if (known) return known;
    const usage =
      kind === 'pods' ? metrics.pods.get(`${row.namespace ?? ''}/${row.name}`) : metrics.nodes.get(row.name);
    const added = kind === 'pods' ? podCells(row, usage) : nodeCells(row, usage);
    // Columns past the server's (a short row) stay short rather than misaligned.
    const cells = row.cells.length >= pos ? [...row.cells.slice(0, pos), ...added, ...row.cells.slice(pos)] : row.cells;
    const out = { ...row, cells };
    cache?.rows.set(row, out);
    return out;
  };
  const rows = snapshot.rows.map(decorate);
  // The base's changes carry over while the figures are the same (its removed rows are still in the cache).
  const changes =
    snapshot.changes && cache && sameVersion
      ? {
          since: snapshot.changes.since,
          removed: snapshot.changes.removed.map(decorate),
          added: snapshot.changes.added.map(decorate),
        }
      : undefined;
  return { ...snapshot, columns, rows, changes };
}
