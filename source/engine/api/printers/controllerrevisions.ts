import type { KObject } from '../../../api-types/index.ts';
import { translateTimestampSince } from './age.ts';
import { ageColumn, column, nameColumn, type TablePrinter } from './common.ts';

/** `<kind>.<group>/<name>` of the controller, like kubectl's printControllerRevision. */
function controller(obj: KObject): string {
  const ref = obj.metadata.ownerReferences?.find((r) => r.controller);
  if (!ref) return '<none>';
  const slash = ref.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : ref.apiVersion.slice(0, slash);
  return `${ref.kind.toLowerCase()}${group ? `.${group}` : ''}/${ref.name}`;
}

export const table: TablePrinter = {
  columns: [
    nameColumn,
    column('Controller', 'string', 'Controller of the object'),
    column('Revision', 'integer', 'Revision indicates the revision of the state represented by Data.'),
    ageColumn,
  ],
  row(obj: KObject, now: number) {
    return [
      obj.metadata.name,
      controller(obj),
      obj.revision ?? 0,
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};
