import type { Endpoint, EndpointPort } from 'kubernetes-types/discovery/v1.d.ts';
import type { KObject } from '../../api-types/index.ts';
import { jsonEqual } from '../store/freeze.ts';
import { podEndpoints, selects, ServiceController, targetRef, type PodEndpoint } from './endpoints-shared.ts';

export const SLICES = 'endpointslices.discovery.k8s.io';
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MANAGED_BY = 'endpointslice-controller.k8s.io';
const MAX_PER_SLICE = 100;

interface SliceBody {
  endpoints: Endpoint[];
  ports?: EndpointPort[];
}

/** Endpoints grouped by the ports they serve, at most 100 per slice; one empty slice when none. */
export function desiredSlices(eps: PodEndpoint[]): SliceBody[] {
  const groups = new Map<string, SliceBody>();
  for (const ep of eps) {
    const key = JSON.stringify(ep.ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { endpoints: [], ports: ep.ports.length ? ep.ports : undefined }));
    g.endpoints.push({
      addresses: [ep.ip],
      ...(ep.hostname ? { hostname: ep.hostname } : {}),
      conditions: { ready: ep.ready, serving: ep.serving, terminating: ep.terminating },
      ...(ep.nodeName ? { nodeName: ep.nodeName } : {}),
      targetRef: targetRef(ep.pod),
    });
  }
  const out: SliceBody[] = [];
  for (const g of groups.values()) {
    for (let i = 0; i < g.endpoints.length; i += MAX_PER_SLICE)
      out.push({ endpoints: g.endpoints.slice(i, i + MAX_PER_SLICE), ports: g.ports });
  }
  return out.length ? out : [{ endpoints: [] }];
}

function sliceMeta(svc: KObject) {
  const labels: Record<string, string> = {
    ...(svc.metadata.labels ?? {}),
    [SERVICE_NAME_LABEL]: svc.metadata.name!,
    [MANAGED_BY_LABEL]: MANAGED_BY,
  };
  if (svc.spec.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
  const ownerReferences = [
    {
      apiVersion: 'v1',
      kind: 'Service',
      name: svc.metadata.name!,
      uid: svc.metadata.uid!,
      controller: true,
      blockOwnerDeletion: true,
    },
  ];
  return { labels, ownerReferences };
}

/** The EndpointSlice controller: discovery.k8s.io/v1 slices for every service with a selector. */
export class EndpointSliceController extends ServiceController {
  readonly name = 'endpointslice-controller';
  protected readonly output = {
    resource: SLICES,
    serviceOf: (o: KObject) =>
      o.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY ? o.metadata.labels?.[SERVICE_NAME_LABEL] : undefined,
  };

  protected syncService(ns: string, name: string, svc: KObject | undefined): void {
    const store = this.store;
    const existing = store
      .list(SLICES, { namespace: ns, labelSelector: `${SERVICE_NAME_LABEL}=${name},${MANAGED_BY_LABEL}=${MANAGED_BY}` })
      .items.filter((s) => !s.metadata.deletionTimestamp);
    if (!svc || !selects(svc)) {
      for (const s of existing) store.delete(SLICES, ns, s.metadata.name!);
      return;
    }
    const meta = sliceMeta(svc);
    const want = desiredSlices(podEndpoints(this.podsIn(ns), svc, true));
    const unused = [...existing];
    const take = (body: SliceBody): KObject | undefined => {
      // Reuse a slice serving the same ports, else any left over.
      let i = unused.findIndex((s) => jsonEqual(s.ports ?? [], body.ports ?? []));
      if (i < 0) i = 0;
      return unused.splice(i, 1)[0];
    };
    for (const body of want) {
      const cur = take(body);
      if (!cur) {
        store.create(SLICES, {
          metadata: { generateName: `${name}-`, namespace: ns, ...meta },
          addressType: 'IPv4',
          ...body,
        });
        continue;
      }
      const same =
        jsonEqual(cur.metadata.labels, meta.labels) &&
        jsonEqual(cur.metadata.ownerReferences, meta.ownerReferences) &&
        jsonEqual(cur.endpoints ?? [], body.endpoints) &&
        jsonEqual(cur.ports ?? [], body.ports ?? []);
      if (same) continue;
      store.mutate(SLICES, ns, cur.metadata.name!, (o) => {
        Object.assign(o.metadata, meta);
        o.addressType = 'IPv4';
        o.endpoints = body.endpoints;
        if (body.ports) o.ports = body.ports;
        else delete o.ports;
      });
    }
    for (const s of unused) store.delete(SLICES, ns, s.metadata.name!);
  }
}

export function endpointSlicesController(): EndpointSliceController {
  return new EndpointSliceController();
}
