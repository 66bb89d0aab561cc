import type { KObject } from '../../api-types/index.ts';
import type { EngineConfig } from '../context.ts';
import { jsonEqual } from '../store/freeze.ts';
import type { Store } from '../store/store.ts';
import { installServiceAllocations } from './allocations.ts';

const NS = 'default';
const NAME = 'kubernetes';
const API_HOST = '127.0.0.1';

/** Create or change an object so that `fill` holds; no write when nothing changes. */
function upsert(store: Store, resource: string, name: string, fill: (o: KObject) => void): void {
  const cur = store.get(resource, NS, name);
  if (!cur) {
    const o: KObject = { metadata: { name, namespace: NS } };
    fill(o);
    store.create(resource, o);
    return;
  }
  const next = structuredClone(cur) as KObject;
  fill(next);
  if (!jsonEqual(next, cur)) store.update(resource, next);
}

/**
 * The `default/kubernetes` service (ClusterIP .1 of the service CIDR, port 443 to the API
 * server), with its Endpoints and EndpointSlice pointing at 127.0.0.1:<apiPort>. Idempotent:
 * call it at every engine start once the `default` namespace exists and the API port is known.
 */
export function ensureKubernetesService(
  store: Store,
  config: Pick<EngineConfig, 'serviceCIDR' | 'nodePortRange'>,
  apiPort: number,
): void {
  const alloc = installServiceAllocations(store, config);
  const port = { name: 'https', port: 443, protocol: 'TCP', targetPort: apiPort };
  upsert(store, 'services', NAME, (o) => {
    o.metadata.labels = { ...(o.metadata.labels ?? {}), component: 'apiserver', provider: 'kubernetes' };
    o.spec ??= {};
    if (!o.spec.clusterIP) o.spec.clusterIP = alloc.kubernetesIP();
    o.spec.type = 'ClusterIP';
    o.spec.ports = [port];
    o.spec.sessionAffinity = 'None';
    delete o.spec.selector;
  });
  upsert(store, 'endpoints', NAME, (o) => {
    o.metadata.labels = { 'endpointslice.kubernetes.io/skip-mirror': 'true' };
    o.subsets = [{ addresses: [{ ip: API_HOST }], ports: [{ name: 'https', port: apiPort, protocol: 'TCP' }] }];
  });
  upsert(store, 'endpointslices.discovery.k8s.io', NAME, (o) => {
    o.metadata.labels = { 'kubernetes.io/service-name': NAME };
    o.addressType = 'IPv4';
    o.endpoints = [{ addresses: [API_HOST], conditions: { ready: true } }];
    o.ports = [{ name: 'https', port: apiPort, protocol: 'TCP' }];
  });
}
