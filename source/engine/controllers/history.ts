import type { KObject } from '../../api-types/index.ts';
import type { RevisionData, RevisionObject, StoredTemplate } from '../../api-types/revision.ts';
import type { Store } from '../store/store.ts';
import { computeHash } from './deployment-util.ts';
import { canonical } from './pods.ts';
import { newControllerRef } from '../framework/owner-refs.ts';

/**
 * ControllerRevisions: the rollout history of StatefulSets and DaemonSets (upstream's
 * controller/history). A revision's data is the strategic merge patch that puts its pod
 * template back (`kubectl rollout undo` applies it as is).
 */

export const REVISIONS = 'controllerrevisions.apps';
export const REVISION_HASH_LABEL = 'controller-revision-hash';

export function revisionData(template: StoredTemplate): RevisionData {
  return { spec: { template: { ...template, $patch: 'replace' } } };
}

/** The pod template a revision holds. */
export function revisionTemplate(rev: RevisionObject): StoredTemplate {
  const t: StoredTemplate = structuredClone(rev.data?.spec?.template ?? {});
  delete t.$patch;
  return t;
}

const sameData = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

export function byRevision(a: RevisionObject, b: RevisionObject): number {
  return (a.revision ?? 0) - (b.revision ?? 0) || String(a.metadata.name).localeCompare(String(b.metadata.name));
}

/**
 * The revision for the owner's current template: an equal existing one (renumbered to be the
 * newest, as after an undo) or a new one named `<owner>-<hash>`.
 */
export function ensureRevision(store: Store, owner: KObject, revisions: RevisionObject[]): KObject {
  const template: StoredTemplate = owner.spec?.template ?? {};
  const data = revisionData(template);
  const sorted = [...revisions].sort(byRevision);
  const max = sorted.length ? (sorted[sorted.length - 1]!.revision ?? 0) : 0;
  const equal = sorted.filter((r) => sameData(r.data, data));
  if (equal.length) {
    const rev = equal[equal.length - 1]!;
    if (rev === sorted[sorted.length - 1]) return rev;
    return store.mutate(REVISIONS, rev.metadata.namespace, rev.metadata.name!, (o) => {
      o.revision = max + 1;
    });
  }
  const collisionCount = owner.status?.collisionCount ?? 0;
  const hash = computeHash(template, collisionCount || undefined);
  const labels = { ...(template.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash };
  const rev: KObject = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: `${owner.metadata.name}-${hash}`,
      namespace: owner.metadata.namespace,
      labels,
      ownerReferences: [newControllerRef(owner)],
    },
    data,
    revision: max + 1,
  };
  const existing = store.get(REVISIONS, owner.metadata.namespace, rev.metadata.name!);
  if (existing) {
    // Same name, other content (or another owner): a hash collision; count it and retry later.
    store.mutate(
      owner.kind === 'StatefulSet' ? 'statefulsets.apps' : 'daemonsets.apps',
      owner.metadata.namespace,
      owner.metadata.name!,
      (o) => {
        o.status = { ...(o.status ?? {}), collisionCount: collisionCount + 1 };
      },
      { subresource: 'status' },
    );
    throw new Error(`controllerrevision ${rev.metadata.name} already exists`);
  }
  return store.create(REVISIONS, rev);
}

/** Delete the oldest revisions beyond revisionHistoryLimit, never one in `live`. */
export function trimHistory(store: Store, owner: KObject, revisions: RevisionObject[], live: Set<string>): void {
  const limit = owner.spec?.revisionHistoryLimit ?? 10;
  const old = revisions.filter((r) => !live.has(r.metadata.name!)).sort(byRevision);
  for (const r of old.slice(0, Math.max(0, old.length - limit))) {
    try {
      store.delete(REVISIONS, r.metadata.namespace, r.metadata.name!);
    } catch {
      // gone already
    }
  }
}
