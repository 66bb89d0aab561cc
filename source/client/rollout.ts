import type { KObject } from '../api-types/index.ts';
import type { RevisionObject } from '../api-types/revision.ts';
import { MERGE_PATCH, STRATEGIC_PATCH, rolloutUndo, type ObjectRef } from './actions.ts';
import { resourcePath } from './resource.ts';
import type { Transport } from './transport.ts';

/**
 * Rollouts of any workload: a Deployment's revisions are its ReplicaSets (annotation
 * `deployment.kubernetes.io/revision`, pods labelled `pod-template-hash`); a StatefulSet's or
 * DaemonSet's are ControllerRevisions (field `revision`, data = the strategic merge patch that
 * puts the template back, pods labelled `controller-revision-hash`).
 */

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

export interface WorkloadRevision {
  revision: number;
  /** The ReplicaSet's or ControllerRevision's name. */
  name: string;
  /** The hash label its pods carry. */
  hash: string;
  /** The pod template, without the hash label. */
  template: KObject;
  images: string[];
  changeCause?: string;
}

export const POD_TEMPLATE_HASH = 'pod-template-hash';
export const CONTROLLER_REVISION_HASH = 'controller-revision-hash';

export function hashLabel(kind: WorkloadKind): string {
  return kind === 'Deployment' ? POD_TEMPLATE_HASH : CONTROLLER_REVISION_HASH;
}

/** The revision objects' resource: `replicasets.apps` or `controllerrevisions.apps`. */
export function revisionResource(kind: WorkloadKind): string {
  return kind === 'Deployment' ? 'replicasets.apps' : 'controllerrevisions.apps';
}

function ownedBy(o: KObject, owner: KObject): boolean {
  return !!o.metadata.ownerReferences?.some((r) => r.uid === owner.metadata.uid);
}

function imagesOf(template: KObject): string[] {
  const cs: unknown = template.spec?.containers;
  return Array.isArray(cs) ? cs.map((c: { image?: string }) => String(c.image ?? '')) : [];
}

/** The owner's revisions, oldest first, from its ReplicaSets or ControllerRevisions. */
export function revisionsOf(kind: WorkloadKind, owner: KObject, objects: KObject[]): WorkloadRevision[] {
  const label = hashLabel(kind);
  return objects
    .filter((o) => o && ownedBy(o, owner))
    .map((o): WorkloadRevision => {
      const rev: RevisionObject = o;
      const raw = kind === 'Deployment' ? o.spec?.template : rev.data?.spec?.template;
      // A template may lack metadata; WorkloadRevision reads it with `?.` like a stored one.
      const template = structuredClone(raw ?? {}) as KObject;
      delete template.$patch;
      if (template.metadata?.labels) delete template.metadata.labels[label];
      const revision =
        kind === 'Deployment'
          ? Number(o.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0)
          : Number(o.revision ?? 0);
      const hash = o.metadata.labels?.[label] ?? String(o.metadata.name).slice(String(owner.metadata.name).length + 1);
      return {
        revision,
        name: o.metadata.name!,
        hash,
        template,
        images: imagesOf(template),
        changeCause: o.metadata.annotations?.['kubernetes.io/change-cause'],
      };
    })
    .filter((r) => r.revision > 0)
    .sort((a, b) => a.revision - b.revision);
}

/** The revision a pod was made from: its hash label names it (a StatefulSet's pods carry the revision's full name). */
export function revisionOfPod(
  kind: WorkloadKind,
  pod: KObject,
  revisions: WorkloadRevision[],
): WorkloadRevision | undefined {
  const v = pod.metadata.labels?.[hashLabel(kind)];
  return v ? revisions.find((r) => r.hash === v || r.name === v) : undefined;
}

/** The revision the workload is rolling to (its current template). */
export function currentRevision(
  kind: WorkloadKind,
  owner: KObject,
  revisions: WorkloadRevision[],
): WorkloadRevision | undefined {
  if (kind === 'Deployment') {
    const n = Number(owner.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
    return revisions.find((r) => r.revision === n) ?? revisions[revisions.length - 1];
  }
  if (kind === 'StatefulSet' && owner.status?.updateRevision) {
    const byName = revisions.find((r) => r.name === owner.status.updateRevision);
    if (byName) return byName;
  }
  return revisions[revisions.length - 1];
}

/** `kubectl rollout pause|resume`: sets `spec.paused` (resume removes it, as kubectl does). */
export async function setPaused(t: Transport, ref: ObjectRef, paused: boolean): Promise<void> {
  await t.json({
    method: 'PATCH',
    path: resourcePath(ref.info, ref.namespace, ref.name),
    contentType: MERGE_PATCH,
    body: { spec: { paused: paused || null } },
    query: { fieldManager: 'kubectl-rollout' },
  });
}

/**
 * `kubectl rollout undo [--to-revision=N]` for any workload: a Deployment gets the ReplicaSet's
 * template back; a StatefulSet or DaemonSet gets its ControllerRevision's data applied as a
 * strategic merge patch. Returns the revision rolled back to.
 */
export async function undoWorkload(
  t: Transport,
  kind: WorkloadKind,
  ref: ObjectRef,
  toRevision?: number,
): Promise<number> {
  if (kind === 'Deployment') return rolloutUndo(t, ref, toRevision);
  const owner = await t.json<KObject>({ path: resourcePath(ref.info, ref.namespace, ref.name) });
  const list = await t.json<{ items: RevisionObject[] }>({
    path: `/apis/apps/v1/namespaces/${encodeURIComponent(ref.namespace ?? 'default')}/controllerrevisions`,
  });
  const owned = list.items.filter((o) => ownedBy(o, owner)).sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
  const revisions = revisionsOf(kind, owner, owned);
  const current = currentRevision(kind, owner, revisions);
  const target = toRevision
    ? revisions.find((r) => r.revision === toRevision)
    : [...revisions].reverse().find((r) => r.revision < (current?.revision ?? 0));
  if (!target)
    throw new Error(
      toRevision ? `unable to find specified revision ${toRevision} in history` : 'no rollout history found',
    );
  if (target.revision === current?.revision) throw new Error(`revision ${target.revision} is already the current one`);
  const data = owned.find((o) => o.metadata.name === target.name)!.data;
  await t.json({
    method: 'PATCH',
    path: resourcePath(ref.info, ref.namespace, ref.name),
    contentType: STRATEGIC_PATCH,
    body: data,
    query: { fieldManager: 'kubectl-rollout' },
  });
  return target.revision;
}
