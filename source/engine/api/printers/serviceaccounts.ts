import type { ServiceAccount } from 'kubernetes-types/core/v1.d.ts';
import type { Kind } from '../../../api-types/index.ts';
import { translateTimestampSince } from './age.ts';
import { ageColumn, column, nameColumn, type TablePrinter } from './common.ts';

export const table: TablePrinter = {
  columns: [
    nameColumn,
    column('Secrets', 'string', 'Secrets pods running as this ServiceAccount are allowed to use.'),
    ageColumn,
  ],
  row(obj: Kind<ServiceAccount>, now: number) {
    return [obj.metadata.name, obj.secrets?.length ?? 0, translateTimestampSince(obj.metadata.creationTimestamp, now)];
  },
};
