import type { ClusterSession } from '../../client/session.ts';
import type { CacheQuery, Row } from '../../client/table-cache.ts';
import {
  buildXray,
  flattenXray,
  lineLabel,
  XRAY_NEEDS,
  XRAY_RESOURCES,
  type XrayInput,
  type XrayRoot,
} from '../xray/tree.ts';
import { column, MultiCacheSource, type Derived } from './multi-source.ts';

const COLUMNS = [column('Name', 'name'), column('Status'), column('Ready'), column('Info')];

function xrayQueries(session: ClusterSession, root: XrayRoot, namespace: string | null): Record<string, CacheQuery> {
  const queries: Record<string, CacheQuery> = {};
  for (const need of XRAY_NEEDS[root]) {
    const info = session.registry.get(XRAY_RESOURCES[need]);
    if (!info) continue;
    // A node's pods come from every namespace.
    const ns = info.namespaced && root !== 'nodes' ? (namespace ?? undefined) : undefined;
    queries[need] = { resource: info, namespace: ns };
  }
  return queries;
}

export function xrayRows(root: XrayRoot, input: XrayInput, collapsed: ReadonlySet<string>): Derived {
  const lines = flattenXray(buildXray(root, input), collapsed);
  const resources = new Map<string, string>();
  const rows: Row[] = lines.map((l) => {
    resources.set(l.node.id, l.node.resource);
    return {
      uid: l.node.id,
      // A container line stands for its pod: l, s, d and y address the pod by this name.
      name: l.node.container ? (l.node.object.metadata.name ?? l.node.name) : l.node.name,
      namespace: l.node.namespace,
      cells: [lineLabel(l), l.node.status, l.node.ready, l.node.info],
      object: l.node.object,
    };
  });
  return { columns: COLUMNS, rows, resources };
}

/** The live xray tree of one root kind in one scope; `toggle` opens or closes a node. */
export class XraySource extends MultiCacheSource {
  private readonly collapsed: Set<string>;

  constructor(session: ClusterSession, root: XrayRoot, namespace: string | null) {
    const collapsed = new Set<string>();
    super(session.pool, xrayQueries(session, root, namespace), (lists) =>
      xrayRows(root, lists as XrayInput, collapsed),
    );
    this.collapsed = collapsed;
  }

  toggle(id: string): void {
    if (this.collapsed.has(id)) this.collapsed.delete(id);
    else this.collapsed.add(id);
    this.rebuild();
  }
}
