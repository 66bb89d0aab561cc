import type { ServicePort, ServiceStatus } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../../../api-types/index.ts';
import { translateTimestampSince } from './age.ts';
import { ageColumn, column, formatLabels, nameColumn, type TablePrinter } from './common.ts';

/** Distinct ingress IPs (or hostnames), sorted; never clipped since tables are always built wide. */
function loadBalancerIngress(status: ServiceStatus | undefined): string[] {
  const ingress = status?.loadBalancer?.ingress;
  if (!ingress || ingress.length === 0) return [];
  const set = new Set<string>();
  for (const i of ingress) {
    if (i.ip) set.add(i.ip);
    else if (i.hostname) set.add(i.hostname);
  }
  return [...set].sort();
}

function externalIP(svc: KObject): string {
  const spec = svc.spec ?? {};
  const externalIPs = spec.externalIPs as string[] | undefined;
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs?.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngress(svc.status);
      if (externalIPs?.length) return [...lb, ...externalIPs].join(',');
      return lb.length ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
  }
  return '<unknown>';
}

function ports(ports: ServicePort[] | undefined): string {
  if (!ports || ports.length === 0) return '<none>';
  let out = '';
  for (let i = 0; i < ports.length; i++) {
    const p = ports[i];
    const protocol = p.protocol ?? 'TCP';
    out += (i ? ',' : '') + ((p.nodePort ?? 0) > 0 ? `${p.port}:${p.nodePort}/${protocol}` : `${p.port}/${protocol}`);
  }
  return out;
}

export const table: TablePrinter = {
  columns: [
    nameColumn,
    column('Type', 'string', 'type determines how the Service is exposed.'),
    column('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    column('External-IP', 'string', 'IP addresses for which nodes will also accept traffic for this service.'),
    column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    ageColumn,
    column('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', 1),
  ],
  row(obj: KObject, now: number) {
    const spec = obj.spec ?? {};
    return [
      obj.metadata.name,
      spec.type ?? '',
      spec.clusterIPs?.[0] ?? '<none>',
      externalIP(obj),
      ports(spec.ports),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      formatLabels(spec.selector),
    ];
  },
};
