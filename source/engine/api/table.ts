import type { KObject, Table, TableRow } from '../../api-types/index.ts';
import type { ResourceDef } from '../resources/types.ts';
import { tableFor } from './printers/index.ts';
import { present } from './versions.ts';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** Whether the Accept header asks for a meta.k8s.io Table. */
export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

export function includeObjectOf(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

function rowObject(obj: KObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export interface TableOptions {
  now: number;
  include: IncludeObject;
  meta: Table['metadata'];
  /** Whether to send the column definitions (a watch sends them with its first event only); default true. */
  headers?: boolean;
}

/** Print objects as a server-side Table (wide columns always included, as the apiserver does). */
export function toTable(
  def: ResourceDef,
  objs: KObject[],
  { now, include, meta, headers = true }: TableOptions,
): Table {
  const printer = def.table ?? tableFor(def.group, def.plural);
  const rows: TableRow[] = new Array(objs.length);
  for (let i = 0; i < objs.length; i++) {
    const o = present(def, objs[i]!);
    const row: TableRow = { cells: printer.row(o, now) };
    const conditions = printer.conditions?.(o);
    if (conditions) row.conditions = conditions;
    const object = rowObject(o, include);
    if (object) row.object = object;
    rows[i] = row;
  }
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: meta,
    columnDefinitions: headers ? printer.columns : [],
    rows,
  };
}
