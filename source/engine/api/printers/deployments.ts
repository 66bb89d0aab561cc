import type { KObject } from '../../../api-types/index.ts';
import { labelSelectorString } from '../../../api-types/label-selector.ts';
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
    column('Up-to-date', 'string', 'Pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'string', 'Available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    column('Selector', 'string', 'Label selector for pods.', 1),
  ],
  row(obj: KObject, now: number) {
    const status = obj.status ?? {};
    const containers = obj.spec?.template?.spec?.containers;
    return [
      obj.metadata.name,
      `${status.readyReplicas ?? 0}/${obj.spec?.replicas ?? 1}`,
      status.updatedReplicas ?? 0,
      status.availableReplicas ?? 0,
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      containerNames(containers),
      containerImages(containers),
      labelSelectorString(obj.spec?.selector) ?? '<invalid>',
    ];
  },
};
