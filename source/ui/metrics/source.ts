import type { MetricsPoller } from '../../client/metrics.ts';
import type { TableSnapshot } from '../../client/table-cache.ts';
import type { RowSource } from '../sources.ts';
import type { RowObjects } from '../../client/table-cache.ts';
import { withMetricColumns, type MetricRowCache, type MetricsKind } from './columns.ts';
import { HpaTrendSource } from './hpa-source.ts';

/** A pods or nodes table source with CPU/MEM columns from the cluster's metrics API. */
export class MetricsRowSource implements RowSource {
  private last?: { base: TableSnapshot; version: number; out: TableSnapshot };
  private readonly rows: MetricRowCache = { version: -1, rows: new WeakMap() };

  constructor(
    private readonly base: RowSource,
    private readonly metrics: MetricsPoller,
    private readonly kind: MetricsKind,
  ) {}

  subscribe = (fn: () => void): (() => void) => {
    const a = this.base.subscribe(fn);
    const b = this.metrics.subscribe(fn);
    return () => {
      a();
      b();
    };
  };

  getSnapshot = (): TableSnapshot => {
    const base = this.base.getSnapshot();
    const m = this.metrics.getSnapshot();
    if (this.last && this.last.base === base && this.last.version === m.version) return this.last.out;
    const decorated = withMetricColumns(base, m, this.kind, this.rows);
    // Changes are relative to the snapshot this source published for the base's `since` version.
    const since =
      decorated.changes && this.last?.base.version === decorated.changes.since && this.last.version === m.version
        ? this.last.out.version
        : undefined;
    const out = {
      ...decorated,
      changes: since !== undefined ? { ...decorated.changes!, since } : undefined,
      version: base.version * 1_000_003 + m.version,
    };
    this.last = { base, version: m.version, out };
    return out;
  };

  refresh(): void {
    this.base.refresh?.();
  }
}

/**
 * The source with usage columns when it lists pods or nodes and the cluster serves metrics, and
 * with a replicas trend when it lists autoscalers.
 */
export function withMetrics(base: RowSource, resourceId: string, metrics: MetricsPoller | undefined): RowSource {
  if (resourceId === 'horizontalpodautoscalers.autoscaling') return new HpaTrendSource(base);
  if (!metrics?.available) return base;
  if (resourceId === 'pods') return new MetricsRowSource(base, metrics, 'pods');
  if (resourceId === 'nodes') return new MetricsRowSource(base, metrics, 'nodes');
  return base;
}

/**
 * What the decorated view reads from its rows: metadata, plus requests/limits/allocatable for
 * the usage columns (kept as figures, not objects), or whole autoscalers for the replicas trend.
 */
export function rowObjects(resourceId: string, metrics: MetricsPoller | undefined): RowObjects {
  if (resourceId === 'horizontalpodautoscalers.autoscaling') return 'full';
  return metrics?.available && (resourceId === 'pods' || resourceId === 'nodes') ? 'resources' : 'metadata';
}
