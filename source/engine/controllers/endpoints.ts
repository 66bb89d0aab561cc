import type { EndpointAddress, EndpointPort, EndpointSubset } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../../api-types/index.ts';
import { jsonEqual } from '../store/freeze.ts';
import { podEndpoints, selects, ServiceController, targetRef, type PodEndpoint } from './endpoints-shared.ts';

/** core/v1 Endpoints subsets: addresses grouped by the ports they serve. */
export function endpointSubsets(svc: KObject, eps: PodEndpoint[]): EndpointSubset[] {
  const groups = new Map<
    string,
    { addresses: EndpointAddress[]; notReadyAddresses: EndpointAddress[]; ports: EndpointPort[] }
  >();
  const wantsPorts = (svc.spec.ports ?? []).length > 0;
  for (const ep of eps) {
    if (wantsPorts && ep.ports.length === 0) continue;
    // Endpoints omit an empty port name (EndpointSlices keep it as "").
    const ports = ep.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol }));
    const key = JSON.stringify(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { addresses: [], notReadyAddresses: [], ports }));
    const address: EndpointAddress = {
      ip: ep.ip,
      ...(ep.nodeName ? { nodeName: ep.nodeName } : {}),
      targetRef: targetRef(ep.pod),
    };
    if (ep.pod.spec?.hostname && ep.pod.spec?.subdomain === svc.metadata.name) address.hostname = ep.pod.spec.hostname;
    (ep.ready ? g.addresses : g.notReadyAddresses).push(address);
  }
  return [...groups.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, g]) => ({
      ...(g.addresses.length ? { addresses: g.addresses } : {}),
      ...(g.notReadyAddresses.length ? { notReadyAddresses: g.notReadyAddresses } : {}),
      ...(g.ports.length ? { ports: g.ports } : {}),
    }));
}

/** The Endpoints controller: one core/v1 Endpoints per service with a selector. */
export class EndpointsController extends ServiceController {
  readonly name = 'endpoints-controller';
  protected readonly output = { resource: 'endpoints', serviceOf: (o: KObject) => o.metadata.name };

  protected syncService(ns: string, name: string, svc: KObject | undefined): void {
    const store = this.store;
    const cur = store.get('endpoints', ns, name);
    if (!svc) {
      if (cur) store.delete('endpoints', ns, name);
      return;
    }
    if (!selects(svc)) return;
    const subsets = endpointSubsets(svc, podEndpoints(this.podsIn(ns), svc, false));
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
    if (svc.spec.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
    if (!cur) {
      store.create('endpoints', { metadata: { name, namespace: ns, labels }, ...(subsets.length ? { subsets } : {}) });
      return;
    }
    if (jsonEqual(cur.metadata.labels ?? {}, labels) && jsonEqual(cur.subsets ?? [], subsets)) return;
    store.mutate('endpoints', ns, name, (o) => {
      o.metadata.labels = labels;
      if (subsets.length) o.subsets = subsets;
      else delete o.subsets;
    });
  }
}

export function endpointsController(): EndpointsController {
  return new EndpointsController();
}
