import type { ClusterSession } from '../../client/session.ts';
import type { CacheQuery, Row } from '../../client/table-cache.ts';
import { findProblems, PROBLEM_RESOURCES, SEVERITY_NAMES, type ProblemInput } from '../problems/rules.ts';
import { column, MultiCacheSource, type Derived } from './multi-source.ts';

/** Everything wrong in a scope (nodes always), ranked, from the pool's caches. */
export function problemsSource(
  session: ClusterSession,
  namespace: string | null,
  now: () => number = Date.now,
): MultiCacheSource {
  const queries: Record<string, CacheQuery> = {};
  for (const [name, id] of Object.entries(PROBLEM_RESOURCES)) {
    const info = session.registry.get(id);
    if (info) queries[name] = { resource: info, namespace: info.namespaced ? (namespace ?? undefined) : undefined };
  }
  const columns = [
    ...(namespace === null ? [column('Namespace')] : []),
    column('Severity'),
    column('Object', 'name'),
    column('Status'),
    column('Message'),
    column('Look', '', 0),
  ];
  return new MultiCacheSource(session.pool, queries, (lists): Derived => {
    const problems = findProblems(lists as ProblemInput, now());
    const resources = new Map<string, string>();
    const rows: Row[] = problems.map((p) => {
      const uid = `${p.uid}/${p.reason}`;
      resources.set(uid, p.resource);
      const cells = [SEVERITY_NAMES[p.severity], `${p.kind}/${p.name}`, p.reason, p.message, p.look];
      return {
        uid,
        name: p.name,
        namespace: p.namespace,
        cells: namespace === null ? [p.namespace ?? '', ...cells] : cells,
        object: p.object,
      };
    });
    return { columns, rows, resources };
  });
}
