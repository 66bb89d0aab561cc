import type { KObject } from '../../../api-types/index.ts';
import { translateTimestampSince } from './age.ts';
import {
  ageColumn,
  column,
  containerImages,
  containerNames,
  containersColumn,
  imagesColumn,
  nameColumn,
  type TablePrinter,
} from './common.ts';

export const table: TablePrinter = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'Number of the pod with ready state'),
    ageColumn,
    containersColumn,
    imagesColumn,
  ],
  row(obj: KObject, now: number) {
    const containers = obj.spec?.template?.spec?.containers;
    return [
      obj.metadata.name,
      `${obj.status?.readyReplicas ?? 0}/${obj.spec?.replicas ?? 1}`,
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      containerNames(containers),
      containerImages(containers),
    ];
  },
};
