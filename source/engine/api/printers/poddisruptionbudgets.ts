import type { KObject } from '../../../api-types/index.ts';
import { translateTimestampSince } from './age.ts';
import { ageColumn, column, nameColumn, type TablePrinter } from './common.ts';

const intOrString = (v: unknown) => (v === undefined || v === null ? 'N/A' : String(v));

/** kubectl's PodDisruptionBudget columns. */
export const table: TablePrinter = {
  columns: [
    nameColumn,
    column(
      'Min Available',
      'string',
      'The minimum number of pods that must be available simultaneously. This can be either an integer or a string specifying a percentage, e.g. "28%".',
    ),
    column(
      'Max Unavailable',
      'string',
      'The maximum number of pods that may be unavailable simultaneously. This can be either an integer or a string specifying a percentage, e.g. "28%".',
    ),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    ageColumn,
  ],
  row(obj: KObject, now: number) {
    return [
      obj.metadata.name,
      intOrString(obj.spec?.minAvailable),
      intOrString(obj.spec?.maxUnavailable),
      obj.status?.disruptionsAllowed ?? 0,
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};
