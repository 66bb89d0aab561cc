import type { ResourceDef } from './types.ts';
import { isObject } from './validation.ts';

export const endpointslices: ResourceDef = {
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  singular: 'endpointslice',
  namespaced: true,
  defaults(o) {
    for (const p of Array.isArray(o.ports) ? o.ports : []) if (isObject(p)) p.protocol ??= 'TCP';
  },
};

export const leases: ResourceDef = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  singular: 'lease',
  namespaced: true,
};
