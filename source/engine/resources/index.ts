import { Registry } from '../store/registry.ts';
import { daemonsets, deployments, replicasets } from './apps.ts';
import { configmaps, endpoints, events, namespaces, nodes, pods, secrets, serviceaccounts, services } from './core.ts';
import { endpointslices, leases } from './other.ts';
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
  deployments,
  replicasets,
  daemonsets,
  endpointslices,
  leases,
];

export function createRegistry(): Registry {
  return new Registry(RESOURCE_DEFS);
}
