import type { KObject } from '../../../api-types/index.ts';
import { timestampMs } from './age.ts';
import { column, nameColumn, type TablePrinter } from './common.ts';

/** Go's zero time formatted as RFC3339, what the apiserver prints for a missing timestamp. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** RFC3339 in UTC with whole seconds, like `Time.UTC().Format(time.RFC3339)`. */
function rfc3339(ts: unknown): string {
  const ms = timestampMs(ts);
  if (Number.isNaN(ms)) return ZERO_TIME;
  const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString();
  return iso.slice(0, 19) + 'Z';
}

/** The apiserver's default table convertor, for resources without a specific printer. */
export const defaultTable: TablePrinter = {
  columns: [
    nameColumn,
    column(
      'Created At',
      'date',
      'CreationTimestamp is a timestamp representing the server time when this object was created.',
    ),
  ],
  row(obj: KObject) {
    return [obj.metadata.name, rfc3339(obj.metadata.creationTimestamp)];
  },
};
