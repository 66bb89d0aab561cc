import type { KObject } from '../../api-types/index.ts';
import type { ClusterSession } from '../../client/session.ts';
import type { CacheQuery, Row } from '../../client/table-cache.ts';
import { eventTime } from '../problems/rules.ts';
import { MultiCacheSource } from './multi-source.ts';

/** The object whose events are shown. */
export interface EventTarget {
  resource: string;
  namespace?: string;
  name: string;
  uid: string;
}

/** What else an object's events include: a deployment's ReplicaSets and pods, a workload's pods. */
const DESCENDANTS: Record<string, string[]> = {
  'deployments.apps': ['replicasets.apps', 'pods'],
  'replicasets.apps': ['pods'],
  'statefulsets.apps': ['pods'],
  'daemonsets.apps': ['pods'],
  'jobs.batch': ['pods'],
  'cronjobs.batch': ['jobs.batch', 'pods'],
};

/** Uids of the target and of everything it owns, transitively, among the given lists. */
export function relatedUids(targetUid: string, lists: readonly KObject[][]): Set<string> {
  const uids = new Set([targetUid]);
  // Owners come before what they own (rs before pods), so one pass per list is enough.
  for (const list of lists) {
    for (const o of list) {
      if (o.metadata.uid && o.metadata.ownerReferences?.some((r) => uids.has(r.uid))) uids.add(o.metadata.uid);
    }
  }
  return uids;
}

function involved(e: KObject): { uid?: string; kind?: string; name?: string } {
  return e.involvedObject ?? e.regarding ?? {};
}

/** Events about one object (and what it owns), newest first, live; `fieldSelector` narrows (type=Warning). */
export function eventsOfSource(session: ClusterSession, target: EventTarget, fieldSelector?: string): MultiCacheSource {
  const events = session.registry.get('events')!;
  const targetInfo = session.registry.get(target.resource);
  const ns = targetInfo?.namespaced ? target.namespace : undefined;
  const queries: Record<string, CacheQuery> = { events: { resource: events, namespace: ns, fieldSelector } };
  const descendants = (DESCENDANTS[target.resource] ?? []).filter((id) => session.registry.get(id));
  for (const id of descendants) queries[id] = { resource: session.registry.get(id)!, namespace: ns };
  return new MultiCacheSource(session.pool, queries, (lists, snaps) => {
    const uids = relatedUids(
      target.uid,
      descendants.map((id) => lists[id] ?? []),
    );
    const kind = targetInfo?.kind;
    const picked = (snaps.events?.rows ?? []).filter((r) => {
      const io = involved(r.object);
      // By name too: kubelets report node events with the node's name as uid (kubectl events --for matches names).
      return (!!io.uid && uids.has(io.uid)) || (io.kind === kind && io.name === target.name);
    });
    const rows: Row[] = picked
      .map((r) => ({ r, t: eventTime(r.object), rv: Number(r.object.metadata.resourceVersion) || 0 }))
      // Same second: the later write (higher resourceVersion) first.
      .sort((a, b) => b.t - a.t || b.rv - a.rv)
      .map((x) => x.r);
    return {
      columns: [...(snaps.events?.columns ?? [])],
      rows,
      resources: new Map(rows.map((r) => [r.uid, 'events'])),
    };
  });
}
