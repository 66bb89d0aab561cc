import type { KObject } from '../../../api-types/index.ts';
import { translateTimestampSince } from './age.ts';
import { ageColumn, column, nameColumn, type TablePrinter } from './common.ts';

export const table: TablePrinter = {
  columns: [nameColumn, column('Status', 'string', 'The status of the namespace'), ageColumn],
  row(obj: KObject, now: number) {
    return [obj.metadata.name, obj.status?.phase ?? '', translateTimestampSince(obj.metadata.creationTimestamp, now)];
  },
};
