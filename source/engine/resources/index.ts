import { Registry } from '../store/registry.ts';
import { controllerrevisions, daemonsets, deployments, replicasets, statefulsets } from './apps.ts';
import { cronjobs, jobs } from './batch.ts';
import { configmaps, endpoints, events, namespaces, nodes, pods, secrets, serviceaccounts, services } from './core.ts';
import { endpointslices, leases } from './other.ts';
import { poddisruptionbudgets } from './policy.ts';
import { limitranges, resourcequotas } from './quota.ts';
import { persistentvolumeclaims, persistentvolumes, storageclasses } from './storage.ts';
import { ingressclasses, ingresses } from './networking.ts';
import { customresourcedefinitions } from '../apiextensions/crd.ts';
import { RBAC_DEFS, REVIEW_DEFS } from './rbac.ts';
import { podtemplates, replicationcontrollers } from './replication.ts';
import { METRICS_DEFS } from './metrics.ts';
import { horizontalpodautoscalers, horizontalpodautoscalersV1 } from './autoscaling.ts';
import type { ResourceDef } from './types.ts';

/** Every kind the engine serves, in discovery order. */
export const RESOURCE_DEFS: ResourceDef[] = [
  pods,
  services,
  endpoints,
  events,
  nodes,
  namespaces,
  configmaps,
  secrets,
  serviceaccounts,
  replicationcontrollers,
  podtemplates,
  deployments,
  replicasets,
  daemonsets,
  statefulsets,
  controllerrevisions,
  jobs,
  cronjobs,
  horizontalpodautoscalers,
  endpointslices,
  leases,
  resourcequotas,
  limitranges,
  persistentvolumes,
  persistentvolumeclaims,
  storageclasses,
  ingresses,
  ingressclasses,
  poddisruptionbudgets,
  ...RBAC_DEFS,
  ...REVIEW_DEFS,
  customresourcedefinitions,
  // Last: `pods` and `nodes` of the core group come first wherever names are resolved.
  ...METRICS_DEFS,
];

export function createRegistry(): Registry {
  const registry = new Registry(RESOURCE_DEFS);
  // Served by conversion from the stored v2 objects (api/hpa-v1.ts); listed in discovery as upstream does.
  registry.addVersion(horizontalpodautoscalersV1);
  return registry;
}
