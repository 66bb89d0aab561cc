import type { LoadBalancerIngress } from 'kubernetes-types/core/v1.d.ts';
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1.d.ts';
import type { Kind, KObject } from '../api-types/index.ts';
import { describeEvents } from './events.ts';
import { formatLabels, printAnnotationsMultiline, printLabelsMultiline } from './format.ts';
import { PrefixWriter } from './writer.ts';

export function describeService(svc: KObject, endpointSlices: KObject[], events: KObject[], now: number): string {
  const w = new PrefixWriter();
  const spec = svc.spec ?? {};
  w.write(0, `Name:\t${svc.metadata.name ?? ''}\n`);
  w.write(0, `Namespace:\t${svc.metadata.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', svc.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', svc.metadata.annotations);
  w.write(0, `Selector:\t${formatLabels(spec.selector)}\n`);
  w.write(0, `Type:\t${spec.type ?? ''}\n`);
  if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  w.write(0, `IP Families:\t${spec.ipFamilies?.length ? spec.ipFamilies.join(',') : '<none>'}\n`);
  w.write(0, `IP:\t${spec.clusterIP ?? ''}\n`);
  w.write(0, `IPs:\t${spec.clusterIPs?.length ? spec.clusterIPs.join(',') : '<none>'}\n`);
  if (spec.externalIPs?.length) w.write(0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
  if (spec.loadBalancerIP) w.write(0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
  if (spec.externalName) w.write(0, `External Name:\t${spec.externalName}\n`);
  const ingress: LoadBalancerIngress[] = svc.status?.loadBalancer?.ingress ?? [];
  if (ingress.length > 0) {
    const list = ingress.map((i) => (i.ip ? i.ip + (i.ipMode ? ` (${i.ipMode})` : '') : (i.hostname ?? ''))).join(', ');
    w.write(0, `LoadBalancer Ingress:\t${list}\n`);
  }
  for (const p of spec.ports ?? []) {
    const name = p.name || '<unset>';
    const protocol = p.protocol ?? '';
    w.write(0, `Port:\t${name}\t${p.port ?? 0}/${protocol}\n`);
    w.write(0, `TargetPort:\t${p.targetPort ?? 0}/${protocol}\n`);
    if (p.nodePort) w.write(0, `NodePort:\t${name}\t${p.nodePort}/${protocol}\n`);
    w.write(0, `Endpoints:\t${formatEndpointSlices(endpointSlices, p.name ?? '')}\n`);
  }
  w.write(0, `Session Affinity:\t${spec.sessionAffinity ?? ''}\n`);
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy) w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) w.write(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  if (spec.loadBalancerSourceRanges?.length)
    w.write(0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`);
  describeEvents(events, w, now);
  return w.toString();
}

const hostPort = (ip: string, port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

/** Ready endpoints of the slices for one service port name: at most 3, then `+ N more...`. */
export function formatEndpointSlices(slices: readonly Kind<EndpointSlice>[], portName: string): string {
  if (slices.length === 0) return '<none>';
  const MAX = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  // Mirrors kubectl, which decides "more" before skipping a not-ready endpoint.
  const visit = (ep: Endpoint, render: (addr: string) => string) => {
    if (list.length === MAX) more = true;
    if (ep.conditions?.ready === false) return;
    if (!more) list.push(render(ep.addresses?.[0] ?? ''));
    count++;
  };
  for (const slice of slices) {
    const endpoints: Endpoint[] = slice.endpoints ?? [];
    const ports: EndpointPort[] = slice.ports ?? [];
    if (ports.length === 0) {
      for (const ep of endpoints) visit(ep, (a) => a);
    } else {
      for (const port of ports) {
        if ((port.name ?? '') !== portName) continue;
        for (const ep of endpoints) visit(ep, (a) => hostPort(a, port.port ?? 0));
      }
    }
  }
  const joined = list.join(',');
  return more ? `${joined} + ${count - MAX} more...` : joined;
}
