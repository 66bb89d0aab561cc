import type { TableColumnDefinition } from '../api-types/index.ts';
import type { ContextInfo } from '../client/kubeconfig.ts';
import type { Row, TableSnapshot } from '../client/table-cache.ts';

/** What a table view reads: a live TableCache or a client-side list. */
export interface RowSource {
  subscribe(fn: () => void): () => void;
  getSnapshot(): TableSnapshot;
  refresh?(): void;
  /** The resource id of a row's object, for sources whose rows mix kinds (xray, problems). */
  resourceOf?(row: Row): string | undefined;
}

function col(name: string, priority = 0): TableColumnDefinition {
  return { name, type: 'string', format: name === 'Name' ? 'name' : '', description: '', priority };
}

/** A fixed list of rows, for views that are not API resources (contexts). */
export class StaticSource implements RowSource {
  private readonly snapshot: TableSnapshot;

  constructor(columns: TableColumnDefinition[], rows: Row[]) {
    this.snapshot = { columns, rows, version: 1, state: 'ready' };
  }

  subscribe = (): (() => void) => () => {};
  getSnapshot = (): TableSnapshot => this.snapshot;
}

export function contextsSource(contexts: ContextInfo[]): StaticSource {
  const rows: Row[] = contexts.map((c) => ({
    uid: `ctx:${c.name}`,
    name: c.name,
    cells: [c.current ? `${c.name}(*)` : c.name, c.cluster, c.user, c.namespace ?? '', c.server ?? ''],
    object: { metadata: { name: c.name } },
  }));
  return new StaticSource([col('Name'), col('Cluster'), col('User'), col('Namespace'), col('Server', 1)], rows);
}
