import type { TablePrinter } from './common.ts';
import { table as configmaps } from './configmaps.ts';
import { table as controllerrevisions } from './controllerrevisions.ts';
import { table as cronjobs } from './cronjobs.ts';
import { table as daemonsets } from './daemonsets.ts';
import { defaultTable } from './default.ts';
import { table as deployments } from './deployments.ts';
import { table as endpoints } from './endpoints.ts';
import { table as horizontalpodautoscalers } from './horizontalpodautoscalers.ts';
import { table as endpointslices } from './endpointslices.ts';
import { table as events } from './events.ts';
import { classTable as ingressclasses, table as ingresses } from './ingresses.ts';
import { table as jobs } from './jobs.ts';
import { table as leases } from './leases.ts';
import { table as namespaces } from './namespaces.ts';
import { table as nodes } from './nodes.ts';
import { table as pods } from './pods.ts';
import { table as poddisruptionbudgets } from './poddisruptionbudgets.ts';
import { quotaTable } from './quota.ts';
import { bindingTable } from './rbac.ts';
import { table as podtemplates } from './podtemplates.ts';
import { table as replicasets } from './replicasets.ts';
import { table as replicationcontrollers } from './replicationcontrollers.ts';
import { table as secrets } from './secrets.ts';
import { table as serviceaccounts } from './serviceaccounts.ts';
import { table as services } from './services.ts';
import { table as statefulsets } from './statefulsets.ts';
import { persistentVolumeClaimTable, persistentVolumeTable, storageClassTable } from './storage.ts';

export type { TablePrinter } from './common.ts';
export { defaultTable } from './default.ts';
export { humanDuration, translateTimestampSince } from './age.ts';

/** Printers keyed like `resourceKey()`: `pods`, `deployments.apps`. */
const printers = new Map<string, TablePrinter>([
  ['pods', pods],
  ['services', services],
  ['nodes', nodes],
  ['namespaces', namespaces],
  ['events', events],
  ['endpoints', endpoints],
  ['configmaps', configmaps],
  ['secrets', secrets],
  ['serviceaccounts', serviceaccounts],
  ['replicationcontrollers', replicationcontrollers],
  ['podtemplates', podtemplates],
  ['deployments.apps', deployments],
  ['replicasets.apps', replicasets],
  ['daemonsets.apps', daemonsets],
  ['statefulsets.apps', statefulsets],
  ['controllerrevisions.apps', controllerrevisions],
  ['endpointslices.discovery.k8s.io', endpointslices],
  ['leases.coordination.k8s.io', leases],
  ['jobs.batch', jobs],
  ['ingresses.networking.k8s.io', ingresses],
  ['ingressclasses.networking.k8s.io', ingressclasses],
  ['cronjobs.batch', cronjobs],
  ['poddisruptionbudgets.policy', poddisruptionbudgets],
  ['horizontalpodautoscalers.autoscaling', horizontalpodautoscalers],
  ['resourcequotas', quotaTable],
  ['persistentvolumes', persistentVolumeTable],
  ['persistentvolumeclaims', persistentVolumeClaimTable],
  ['storageclasses.storage.k8s.io', storageClassTable],
  ['rolebindings.rbac.authorization.k8s.io', bindingTable],
  ['clusterrolebindings.rbac.authorization.k8s.io', bindingTable],
]);

/** The Table printer for a resource (`''` is the core group), or the default `Name`/`Created At` one. */
export function tableFor(group: string, plural: string): TablePrinter {
  return printers.get(group ? `${plural}.${group}` : plural) ?? defaultTable;
}
