import type { TableColumnDefinition } from '../../api-types/index.ts';
import type { Row } from '../../client/table-cache.ts';
import { collate, lineLabel, revision, type XrayLine, type XrayNode } from './tree.ts';

const column = (name: string, format = ''): TableColumnDefinition => ({
  name,
  type: 'string',
  format,
  description: '',
  priority: 0,
});

export const XRAY_COLUMNS: TableColumnDefinition[] = [
  column('Name', 'name'),
  column('Status'),
  column('Ready'),
  column('Info'),
];

/** A tree line as a table row. */
export function xrayRow(l: XrayLine): Row {
  return {
    uid: l.node.id,
    // A container line stands for its pod: l, s, d and y address the pod by this name.
    name: l.node.container ? (l.node.object.metadata.name ?? l.node.name) : l.node.name,
    namespace: l.node.namespace,
    cells: [lineLabel(l), l.node.status, l.node.ready, l.node.info],
    object: l.node.object,
  };
}

/** Where a line sorts among its siblings, as the tree's builders order them. */
interface Step {
  rank: number;
  namespace: string;
  name: string;
}

type Path = readonly Step[];

function step(parent: XrayNode | undefined, node: XrayNode, index: number): Step {
  if (node.kind === 'container') return { rank: index, namespace: '', name: '' };
  // The pods of an EndpointSlice go by name alone.
  if (parent?.kind === 'eps') return { rank: 0, namespace: '', name: node.name };
  const m = node.object.metadata;
  return { rank: node.kind === 'rs' ? -revision(node.object) : 0, namespace: m.namespace ?? '', name: m.name ?? '' };
}

function compareSteps(a: Step, b: Step): number {
  // NaN (a revision that is not a number) falls through to the names, as byRevision does.
  return a.rank - b.rank || collate(a.namespace, b.namespace) || collate(a.name, b.name);
}

const samePath = (a: Path, b: Path) =>
  a.length === b.length &&
  a.every((s, i) => s.rank === b[i].rank && s.namespace === b[i].namespace && s.name === b[i].name);

interface Made {
  row: Row;
  depth: number;
  collapsed: boolean;
  path: Path;
}

/**
 * The visible lines of a forest as table rows, kept per root: a root whose node is the one of the
 * last update (and no node was opened or closed since) keeps its rows; the others are flattened
 * again, reusing the row of every line whose node, depth, mark and place are unchanged. Each
 * update says which rows went and came, and `order` is the order the rows are in (depth first,
 * siblings as the builders sort them), so a table patches them in by binary search.
 */
export class XrayRowModel {
  private readonly made = new WeakMap<XrayNode, Made>();
  private readonly pathOf = new WeakMap<Row, Path>();
  private readonly resources = new WeakMap<Row, string>();
  private roots = new Map<string, { node: XrayNode; layout: number; rows: Row[] }>();
  private layout = 0;
  rows: Row[] = [];

  /** Nodes were opened or closed: every root is flattened again. */
  relayout(): void {
    this.layout++;
  }

  update(forest: readonly XrayNode[], collapsed: ReadonlySet<string>): { removed: Row[]; added: Row[] } {
    const removed: Row[] = [];
    const added: Row[] = [];
    const next = new Map<string, { node: XrayNode; layout: number; rows: Row[] }>();
    const rows: Row[] = [];
    for (const node of forest) {
      const prev = this.roots.get(node.id);
      let entry = prev && prev.node === node && prev.layout === this.layout ? prev : undefined;
      if (!entry) {
        entry = { node, layout: this.layout, rows: this.flatten(node, collapsed) };
        const was = new Set(prev?.rows);
        const now = new Set(entry.rows);
        for (const r of prev?.rows ?? []) if (!now.has(r)) removed.push(r);
        for (const r of entry.rows) if (!was.has(r)) added.push(r);
      }
      next.set(node.id, entry);
      for (const r of entry.rows) rows.push(r);
    }
    for (const [id, e] of this.roots) if (!next.has(id)) for (const r of e.rows) removed.push(r);
    this.roots = next;
    this.rows = rows;
    return { removed, added };
  }

  readonly order = (a: Row, b: Row): number => {
    const pa = this.pathOf.get(a) ?? [];
    const pb = this.pathOf.get(b) ?? [];
    const n = Math.min(pa.length, pb.length);
    for (let i = 0; i < n; i++) {
      const c = compareSteps(pa[i], pb[i]);
      if (c) return c;
    }
    // A line comes before the lines below it.
    return pa.length - pb.length;
  };

  resourceOf(row: Row): string | undefined {
    return this.resources.get(row);
  }

  private flatten(root: XrayNode, collapsed: ReadonlySet<string>): Row[] {
    const out: Row[] = [];
    const walk = (node: XrayNode, parent: XrayNode | undefined, index: number, depth: number, above: Path) => {
      const closed = node.children.length > 0 && collapsed.has(node.id);
      const path = [...above, step(parent, node, index)];
      out.push(this.row(node, depth, closed, path));
      if (!closed) node.children.forEach((c, i) => walk(c, node, i, depth + 1, path));
    };
    walk(root, undefined, 0, 0, []);
    return out;
  }

  private row(node: XrayNode, depth: number, collapsed: boolean, path: Path): Row {
    const m = this.made.get(node);
    if (m && m.depth === depth && m.collapsed === collapsed && samePath(m.path, path)) return m.row;
    const row = xrayRow({ node, depth, collapsed });
    this.made.set(node, { row, depth, collapsed, path });
    this.pathOf.set(row, path);
    this.resources.set(row, node.resource);
    return row;
  }
}
