import type { PodTemplate } from 'kubernetes-types/core/v1.d.ts';
import type { Kind } from '../../../api-types/index.ts';
import { column, containerImages, containerNames, formatLabels, nameColumn, type TablePrinter } from './common.ts';

export const table: TablePrinter = {
  columns: [
    nameColumn,
    column('Containers', 'string', 'Names of each container in the template.'),
    column('Images', 'string', 'Images referenced by each container in the template.'),
    column('Pod Labels', 'string', 'The labels for the pod template.'),
  ],
  row(obj: Kind<PodTemplate>) {
    const containers = obj.template?.spec?.containers;
    return [
      obj.metadata.name,
      containerNames(containers),
      containerImages(containers),
      formatLabels(obj.template?.metadata?.labels),
    ];
  },
};
