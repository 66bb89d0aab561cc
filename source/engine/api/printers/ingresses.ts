import type { KObject } from '../../../api-types/index.ts';
import { translateTimestampSince } from './age.ts';
import { ageColumn, column, nameColumn, type TablePrinter } from './common.ts';

/** kubectl's formatHosts: up to 3 hosts, `*` for a rule without one. */
function formatHosts(rules: Array<{ host?: string }> | undefined): string {
  const list: string[] = [];
  let more = 0;
  for (const r of rules ?? []) {
    if (list.length === 3) {
      more++;
      continue;
    }
    list.push(r?.host || '*');
  }
  const out = list.join(',');
  if (more) return `${out} + ${more} more...`;
  return out || '*';
}

/** The ingress's load-balancer addresses (IP or hostname), comma separated. */
function address(
  status: { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } } | undefined,
): string {
  return (status?.loadBalancer?.ingress ?? [])
    .map((i) => i.ip || i.hostname || '')
    .filter(Boolean)
    .join(',');
}

export const table: TablePrinter = {
  columns: [
    nameColumn,
    column('Class', 'string', 'The name of the IngressClass resource that should be used for ingress'),
    column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'string', 'Ports of TLS configurations that open'),
    ageColumn,
  ],
  row(obj: KObject, now: number) {
    return [
      obj.metadata.name,
      obj.spec?.ingressClassName ?? '<none>',
      formatHosts(obj.spec?.rules),
      address(obj.status),
      obj.spec?.tls?.length ? '80, 443' : '80',
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};

export const classTable: TablePrinter = {
  columns: [
    nameColumn,
    column('Controller', 'string', 'Controller that is responsible for handling this class'),
    column('Parameters', 'string', 'A reference to a resource with additional parameters'),
    ageColumn,
  ],
  row(obj: KObject, now: number) {
    const p = obj.spec?.parameters;
    return [
      obj.metadata.name,
      obj.spec?.controller ?? '',
      p ? `${p.kind}/${p.name}` : '<none>',
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};
