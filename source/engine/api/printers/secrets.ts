import type { KObject } from '../../../api-types/index.ts';
import { translateTimestampSince } from './age.ts';
import { ageColumn, column, nameColumn, type TablePrinter } from './common.ts';

export const table: TablePrinter = {
  columns: [
    nameColumn,
    column('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
    column('Data', 'string', 'Data contains the secret data.'),
    ageColumn,
  ],
  row(obj: KObject, now: number) {
    return [
      obj.metadata.name,
      obj.type ?? '',
      obj.data ? Object.keys(obj.data).length : 0,
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};
