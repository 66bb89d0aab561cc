import type { KObject } from '../../../api-types/index.ts';
import { translateTimestampSince } from './age.ts';
import { ageColumn, column, nameColumn, type TablePrinter } from './common.ts';

export const table: TablePrinter = {
  columns: [
    nameColumn,
    column('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.'),
    ageColumn,
  ],
  row(obj: KObject, now: number) {
    return [
      obj.metadata.name,
      obj.spec?.holderIdentity ?? '',
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};
