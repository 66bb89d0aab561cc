import type { EndpointAddress, Endpoints, EndpointSubset } from 'kubernetes-types/core/v1.d.ts';
import type { Kind } from '../../../api-types/index.ts';
import { translateTimestampSince } from './age.ts';
import { ageColumn, column, listWithMore, nameColumn, type TablePrinter } from './common.ts';

const MAX = 3;

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** `ip:port` for every address × port (just `ip` for port-less subsets), at most 3 then ` + N more...`. */
function formatEndpoints(subsets: EndpointSubset[] | undefined): string {
  if (!subsets || subsets.length === 0) return '<none>';
  let list = '';
  let listed = 0;
  let count = 0;
  let more = false;
  for (const ss of subsets) {
    const addresses: EndpointAddress[] = ss.addresses ?? [];
    const ports = ss.ports;
    if (!ports || ports.length === 0) {
      count += addresses.length; // headless service without ports
      for (const a of addresses) {
        if (listed === MAX) {
          more = true;
          break;
        }
        list += (listed++ ? ',' : '') + a.ip;
      }
      continue;
    }
    for (const p of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (listed === MAX) {
          more = true;
          break;
        }
        list += (listed++ ? ',' : '') + hostPort(a.ip, p.port);
      }
    }
  }
  return listWithMore(list, more, count, MAX, '');
}

export const table: TablePrinter = {
  columns: [
    nameColumn,
    column('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'),
    ageColumn,
  ],
  row(obj: Kind<Endpoints>, now: number) {
    return [
      obj.metadata.name,
      formatEndpoints(obj.subsets),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};
