import type { Container } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../api-types/index.ts';
import { resourcePath, type ResourceInfo } from './resource.ts';
import type { Transport } from './transport.ts';

/** Mutations the TUI offers, each one request (or a few) like the matching kubectl command. */

export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_PATCH = 'application/strategic-merge-patch+json';
export const JSON_PATCH = 'application/json-patch+json';

export interface ObjectRef {
  info: ResourceInfo;
  namespace?: string;
  name: string;
}

function path(ref: ObjectRef, sub?: string): string {
  return resourcePath(ref.info, ref.namespace, ref.name, sub);
}

export async function getObject(t: Transport, ref: ObjectRef): Promise<KObject> {
  return t.json<KObject>({ path: path(ref) });
}

/** `kubectl delete` (background propagation); `force` is `--grace-period=0 --force` (kill). */
export async function deleteObject(t: Transport, ref: ObjectRef, opts: { force?: boolean } = {}): Promise<void> {
  const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' };
  if (opts.force) body.gracePeriodSeconds = 0;
  await t.json({ method: 'DELETE', path: path(ref), body });
}

/** `kubectl scale`: a merge patch on the scale subresource. */
export async function scale(t: Transport, ref: ObjectRef, replicas: number): Promise<void> {
  await t.json({ method: 'PATCH', path: path(ref, 'scale'), contentType: MERGE_PATCH, body: { spec: { replicas } } });
}

/** `kubectl rollout restart`: stamps the pod template so every pod is replaced. */
export async function restart(t: Transport, ref: ObjectRef, now = new Date()): Promise<void> {
  const body = {
    spec: {
      template: {
        metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': now.toISOString().replace(/\.\d+Z$/, 'Z') } },
      },
    },
  };
  await t.json({
    method: 'PATCH',
    path: path(ref),
    contentType: STRATEGIC_PATCH,
    body,
    query: { fieldManager: 'kubectl-rollout' },
  });
}

/** `kubectl set image`: one container's image, by strategic merge on the container name. */
export async function setImage(
  t: Transport,
  ref: ObjectRef,
  container: string,
  image: string,
  init = false,
): Promise<void> {
  const key = init ? 'initContainers' : 'containers';
  const body = { spec: { template: { spec: { [key]: [{ name: container, image }] } } } };
  await t.json({
    method: 'PATCH',
    path: path(ref),
    contentType: STRATEGIC_PATCH,
    body,
    query: { fieldManager: 'kubectl-set' },
  });
}

export async function cordon(t: Transport, ref: ObjectRef, unschedulable: boolean): Promise<void> {
  await t.json({
    method: 'PATCH',
    path: path(ref),
    contentType: MERGE_PATCH,
    body: { spec: { unschedulable: unschedulable || null } },
  });
}

/** Evicts a pod through the eviction subresource (what drain does). */
export async function evict(t: Transport, pod: { namespace: string; name: string }): Promise<void> {
  await t.json({
    method: 'POST',
    path: `/api/v1/namespaces/${encodeURIComponent(pod.namespace)}/pods/${encodeURIComponent(pod.name)}/eviction`,
    body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod.name, namespace: pod.namespace } },
  });
}

export interface Revision {
  revision: number;
  changeCause?: string;
  images: string[];
  replicaSet: KObject;
}

/** `kubectl rollout history`: the deployment's ReplicaSets by revision, oldest first. */
export async function rolloutHistory(t: Transport, deploy: KObject): Promise<Revision[]> {
  const ns = deploy.metadata.namespace!;
  const list = await t.json<{ items: KObject[] }>({
    path: `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/replicasets`,
  });
  return list.items
    .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === deploy.metadata.uid && o.controller))
    .map((rs) => ({
      revision: Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0),
      changeCause: rs.metadata.annotations?.['kubernetes.io/change-cause'],
      images: (rs.spec?.template?.spec?.containers ?? []).map((c: Container) => c.image),
      replicaSet: rs,
    }))
    .filter((r) => r.revision > 0)
    .sort((a, b) => a.revision - b.revision);
}

/**
 * `kubectl rollout undo [--to-revision=N]`: copies that revision's pod template (without the
 * pod-template-hash label) back into the deployment. Default: the revision before the current.
 */
export async function rolloutUndo(t: Transport, ref: ObjectRef, toRevision?: number): Promise<number> {
  const deploy = await getObject(t, ref);
  const history = await rolloutHistory(t, deploy);
  const current = Number(deploy.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
  const target = toRevision
    ? history.find((h) => h.revision === toRevision)
    : [...history].reverse().find((h) => h.revision < current);
  if (!target)
    throw new Error(
      toRevision ? `unable to find specified revision ${toRevision} in history` : 'no rollout history found',
    );
  if (target.revision === current) throw new Error(`revision ${current} is already the current one`);
  const template = structuredClone(target.replicaSet.spec.template);
  if (template.metadata?.labels) delete template.metadata.labels['pod-template-hash'];
  const patch: Array<{ op: string; path: string; value: unknown }> = [
    { op: 'replace', path: '/spec/template', value: template },
  ];
  const cause = target.changeCause;
  if (cause !== undefined) {
    const annotations = { ...(deploy.metadata.annotations ?? {}), 'kubernetes.io/change-cause': cause };
    patch.push({ op: 'replace', path: '/metadata/annotations', value: annotations });
  }
  await t.json({ method: 'PATCH', path: path(ref), contentType: JSON_PATCH, body: patch });
  return target.revision;
}

/** Replaces an object with an edited version (`kubectl edit` after the editor closes). */
export async function replaceObject(t: Transport, ref: ObjectRef, obj: KObject): Promise<KObject> {
  return t.json<KObject>({ method: 'PUT', path: path(ref), body: obj });
}
