import type { Container } from 'kubernetes-types/core/v1.d.ts';
import type { LabelSelector } from 'kubernetes-types/meta/v1.d.ts';
import { labelSelectorString } from '../../../api-types/label-selector.ts';
import type { TableColumnDefinition } from '../../../api-types/index.ts';
import type { ResourceDef } from '../../resources/types.ts';

export type TablePrinter = NonNullable<ResourceDef['table']>;

export function column(
  name: string,
  type: string,
  description: string,
  priority = 0,
  format = '',
): TableColumnDefinition {
  return { name, type, format, description, priority };
}

export const nameColumn = column('Name', 'string', 'Name must be unique within a namespace.', 0, 'name');
export const ageColumn = column(
  'Age',
  'string',
  'CreationTimestamp is a timestamp representing the server time when this object was created.',
);
export const containersColumn = column('Containers', 'string', 'Names of each container in the template.', 1);
export const imagesColumn = column('Images', 'string', 'Images referenced by each container in the template.', 1);

/** Container names and images, each joined by `,` (`layoutContainerCells`). */
export function containerNames(containers: Array<Container | undefined> | undefined): string {
  if (!containers) return '';
  let out = '';
  for (let i = 0; i < containers.length; i++) out += (i ? ',' : '') + (containers[i]?.name ?? '');
  return out;
}

export function containerImages(containers: Array<Container | undefined> | undefined): string {
  if (!containers) return '';
  let out = '';
  for (let i = 0; i < containers.length; i++) out += (i ? ',' : '') + (containers[i]?.image ?? '');
  return out;
}

/** `labels.FormatLabels`: `k=v,...` sorted by key, `<none>` when empty. */
export function formatLabels(map: Record<string, string> | undefined | null): string {
  if (!map) return '<none>';
  const keys = Object.keys(map);
  if (keys.length === 0) return '<none>';
  keys.sort();
  let out = '';
  for (let i = 0; i < keys.length; i++) out += (i ? ',' : '') + keys[i] + '=' + map[keys[i]];
  return out;
}

/** `metav1.FormatLabelSelector`: like {@link labelSelectorString} but `<none>` when empty. */
export function formatLabelSelector(sel: LabelSelector | null | undefined): string {
  const s = labelSelectorString(sel);
  return s === undefined ? '<error>' : s === '' ? '<none>' : s;
}

/** `"%s + %d more..."` lists shared by endpoints and endpointslices. */
export function listWithMore(list: string, more: boolean, count: number, max: number, empty: string): string {
  if (more) return `${list} + ${count - max} more...`;
  return list === '' ? empty : list;
}
