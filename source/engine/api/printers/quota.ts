import type { KObject } from '../../../api-types/index.ts';
import { translateTimestampSince } from './age.ts';
import { ageColumn, column, nameColumn, type TablePrinter } from './common.ts';

/** ResourceQuota: NAME AGE REQUEST LIMIT, each `key: used/hard`, as kubectl prints them. */
export const quotaTable: TablePrinter = {
  columns: [
    nameColumn,
    ageColumn,
    column('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    column(
      'Limit',
      'string',
      'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
    ),
  ],
  row(o: KObject, now: number) {
    const hard = (o.status?.hard ?? o.spec?.hard ?? {}) as Record<string, string>;
    const used = (o.status?.used ?? {}) as Record<string, string>;
    const cell = (keys: string[]) =>
      keys
        .sort()
        .map((k) => `${k}: ${used[k] ?? '0'}/${hard[k]}`)
        .join(', ');
    const keys = Object.keys(hard);
    return [
      o.metadata.name,
      translateTimestampSince(o.metadata.creationTimestamp, now),
      cell(keys.filter((k) => !k.startsWith('limits.'))),
      cell(keys.filter((k) => k.startsWith('limits.'))),
    ];
  },
};
