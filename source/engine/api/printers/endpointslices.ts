import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1.d.ts';
import type { Kind } from '../../../api-types/index.ts';
import { translateTimestampSince } from './age.ts';
import { ageColumn, column, listWithMore, nameColumn, type TablePrinter } from './common.ts';

const MAX = 3;

function formatPorts(ports: EndpointPort[] | undefined): string {
  let list = '';
  let count = 0;
  let more = false;
  for (const p of ports ?? []) {
    if (count < MAX) list += (count ? ',' : '') + (p.port != null ? String(p.port) : p.name != null ? p.name : '*');
    else more = true;
    count++;
  }
  return listWithMore(list, more, count, MAX, '<unset>');
}

function formatEndpoints(endpoints: Endpoint[] | undefined): string {
  let list = '';
  let count = 0;
  let more = false;
  for (const ep of endpoints ?? []) {
    for (const address of (ep.addresses ?? []) as string[]) {
      if (count < MAX) list += (count ? ',' : '') + address;
      else more = true;
      count++;
    }
  }
  return listWithMore(list, more, count, MAX, '<unset>');
}

export const table: TablePrinter = {
  columns: [
    nameColumn,
    column('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
    column('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    column('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    ageColumn,
  ],
  row(obj: Kind<EndpointSlice>, now: number) {
    return [
      obj.metadata.name,
      obj.addressType ?? '',
      formatPorts(obj.ports),
      formatEndpoints(obj.endpoints),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};
