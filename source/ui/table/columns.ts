import type { TableColumnDefinition } from '../../api-types/index.ts';
import type { Row } from '../../client/table-cache.ts';

/** A column as shown: a server column, or NAMESPACE added for all-namespace views. */
export interface DisplayColumn {
  name: string; // upper-cased header text
  /** Index into Row.cells; -1 for the namespace column. */
  cell: number;
  type: string;
  isAge: boolean;
  isName: boolean;
  isStatus: boolean;
}

export function displayColumns(
  defs: readonly TableColumnDefinition[],
  opts: { wide: boolean; showNamespace: boolean },
): DisplayColumn[] {
  const out: DisplayColumn[] = [];
  if (opts.showNamespace) {
    out.push({ name: 'NAMESPACE', cell: -1, type: 'string', isAge: false, isName: false, isStatus: false });
  }
  defs.forEach((d, i) => {
    if (d.priority > 0 && !opts.wide) return;
    const name = d.name.toUpperCase();
    out.push({
      name,
      cell: i,
      type: d.type,
      isAge: name === 'AGE',
      isName: d.format === 'name' || name === 'NAME',
      isStatus: name === 'STATUS' || name === 'PHASE',
    });
  });
  return out;
}

export function cellValue(row: Row, col: DisplayColumn): string {
  return col.cell < 0 ? (row.namespace ?? '') : (row.cells[col.cell] ?? '');
}
