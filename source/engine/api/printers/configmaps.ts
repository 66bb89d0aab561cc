import type { ConfigMap } from 'kubernetes-types/core/v1.d.ts';
import type { Kind } from '../../../api-types/index.ts';
import { translateTimestampSince } from './age.ts';
import { ageColumn, column, nameColumn, type TablePrinter } from './common.ts';

function size(map: Record<string, unknown> | undefined): number {
  return map ? Object.keys(map).length : 0;
}

export const table: TablePrinter = {
  columns: [nameColumn, column('Data', 'string', 'Data contains the configuration data.'), ageColumn],
  row(obj: Kind<ConfigMap>, now: number) {
    return [
      obj.metadata.name,
      size(obj.data) + size(obj.binaryData),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};
