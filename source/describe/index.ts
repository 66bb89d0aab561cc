// `kubectl describe`-style text (kubectl 1.32 layout) as pure functions of API objects.
import type { LabelSelector } from 'kubernetes-types/meta/v1.d.ts';
import { labelSelectorString } from '../api-types/label-selector.ts';
import type { KObject } from '../api-types/index.ts';
import { describeConfigMap } from './configmap.ts';
import { describeDaemonSet } from './daemonset.ts';
import { describeDeployment } from './deployment.ts';
import { describeGeneric } from './generic.ts';
import { describeCronJob, describeJob } from './job.ts';
import { describeNamespace } from './namespace.ts';
import { describeNode } from './node.ts';
import { describePod } from './pod.ts';
import { describeReplicaSet } from './replicaset.ts';
import { describeSecret } from './secret.ts';
import { describeService } from './service.ts';
import { describeStatefulSet } from './statefulset.ts';
import { describePersistentVolume, describePersistentVolumeClaim } from './storage.ts';

export { humanDuration, since } from './age.ts';

export interface DescribeContext {
  /** Clock for ages, ms since the epoch. */
  now: number;
  /** Events about the object (all `as: 'events'` query results concatenated). */
  events: KObject[];
  /** A skiff engine's time scale, for delays derived from timestamps (a Job's next retry). */
  timeScale?: number;
  related?: {
    replicaSets?: KObject[];
    pods?: KObject[];
    endpointSlices?: KObject[];
    /** Node leases; when absent the node's `Lease:` section is left out. */
    leases?: KObject[];
  };
}

export type RelatedKey = 'events' | 'replicaSets' | 'pods' | 'endpointSlices' | 'leases';

export interface RelatedQuery {
  apiPath: string;
  query: Record<string, string>;
  as: RelatedKey;
}

/** The text `kubectl describe` prints for `obj` (no trailing newline). */
export function describe(obj: KObject, ctx: DescribeContext): string {
  const { now, events } = ctx;
  const r = ctx.related ?? {};
  switch (obj.kind) {
    case 'Pod':
      return describePod(obj, events, now);
    case 'Deployment':
      return describeDeployment(obj, r.replicaSets ?? [], events, now);
    case 'ReplicaSet':
      return describeReplicaSet(obj, r.pods ?? [], events, now);
    case 'DaemonSet':
      return describeDaemonSet(obj, r.pods ?? [], events, now);
    case 'StatefulSet':
      return describeStatefulSet(obj, r.pods ?? [], events, now);
    case 'PersistentVolumeClaim':
      return describePersistentVolumeClaim(obj, r.pods ?? [], events, now);
    case 'PersistentVolume':
      return describePersistentVolume(obj, events, now);
    case 'Service':
      return describeService(obj, r.endpointSlices ?? [], events, now);
    case 'Node':
      return describeNode(obj, r.pods ?? [], events, now, r.leases);
    case 'Namespace':
      return describeNamespace(obj);
    case 'Secret':
      return describeSecret(obj);
    case 'ConfigMap':
      return describeConfigMap(obj, events, now);
    case 'Job':
      return describeJob(obj, events, now, r.pods, ctx.timeScale);
    case 'CronJob':
      return describeCronJob(obj, events, now);
    default:
      return describeGeneric(obj, events, now);
  }
}

/**
 * The lists the caller must fetch before calling `describe`, as kubectl does. Each is a GET on
 * `apiPath` with `query` (to be URL-encoded); results with the same `as` are concatenated.
 */
export function relatedQueries(obj: KObject): RelatedQuery[] {
  const name = obj.metadata.name ?? '';
  const ns = obj.metadata.namespace ?? '';
  const selector = (s: LabelSelector | undefined): Record<string, string> => {
    const str = labelSelectorString(s);
    return str ? { labelSelector: str } : {};
  };
  switch (obj.kind) {
    case 'Namespace':
    case 'Secret':
      return [];
    case 'Deployment':
      return [
        ...eventQueries(obj),
        {
          apiPath: `/apis/apps/v1/namespaces/${ns}/replicasets`,
          query: selector(obj.spec?.selector),
          as: 'replicaSets',
        },
      ];
    case 'ReplicaSet':
    case 'DaemonSet':
    case 'StatefulSet':
    case 'Job':
      return [
        ...eventQueries(obj),
        { apiPath: `/api/v1/namespaces/${ns}/pods`, query: selector(obj.spec?.selector), as: 'pods' },
      ];
    case 'PersistentVolumeClaim':
      // kubectl lists the namespace's pods to find the ones that mount the claim ("Used By").
      return [{ apiPath: `/api/v1/namespaces/${ns}/pods`, query: {}, as: 'pods' }, ...eventQueries(obj)];
    case 'Service':
      return [
        {
          apiPath: `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`,
          query: { labelSelector: `kubernetes.io/service-name=${name}` },
          as: 'endpointSlices',
        },
        ...eventQueries(obj),
      ];
    case 'Node':
      return [
        {
          apiPath: '/api/v1/pods',
          query: { fieldSelector: `spec.nodeName=${name},status.phase!=Succeeded,status.phase!=Failed` },
          as: 'pods',
        },
        {
          apiPath: '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases',
          query: { fieldSelector: `metadata.name=${name}` },
          as: 'leases',
        },
        ...eventQueries(obj),
        // The kubelet reports node events with the node's name as the uid.
        ...eventQueries(obj, name),
      ];
    default:
      return eventQueries(obj);
  }
}

function eventQueries(obj: KObject, uid = obj.metadata.uid): RelatedQuery[] {
  const ns = obj.metadata.namespace ?? '';
  const terms = [`involvedObject.name=${obj.metadata.name ?? ''}`, `involvedObject.namespace=${ns}`];
  // kubectl leaves the kind out for pods; a mirror pod's events carry the static pod's uid.
  if (obj.kind === 'Pod') uid = obj.metadata.annotations?.['kubernetes.io/config.mirror'] ?? uid;
  else if (obj.kind) terms.push(`involvedObject.kind=${obj.kind}`);
  if (uid) terms.push(`involvedObject.uid=${uid}`);
  const apiPath = ns ? `/api/v1/namespaces/${ns}/events` : '/api/v1/events';
  return [{ apiPath, query: { fieldSelector: terms.join(',') }, as: 'events' }];
}
