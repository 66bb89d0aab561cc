import type { KObject } from '../../../api-types/index.ts';
import { translateTimestampSince } from './age.ts';
import {
  ageColumn,
  column,
  containerImages,
  containerNames,
  containersColumn,
  formatLabels,
  imagesColumn,
  nameColumn,
  type TablePrinter,
} from './common.ts';

export const table: TablePrinter = {
  columns: [
    nameColumn,
    column('Desired', 'integer', 'Replicas is the number of desired replicas.'),
    column('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
    column('Ready', 'integer', 'The number of ready replicas for this replication controller.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    column('Selector', 'string', 'Selector is a label query over pods that should match the Replicas count.', 1),
  ],
  row(obj: KObject, now: number) {
    const containers = obj.spec?.template?.spec?.containers;
    return [
      obj.metadata.name,
      obj.spec?.replicas ?? 0,
      obj.status?.replicas ?? 0,
      obj.status?.readyReplicas ?? 0,
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      containerNames(containers),
      containerImages(containers),
      formatLabels(obj.spec?.selector),
    ];
  },
};
