import type { KObject } from '../../../api-types/index.ts';
import { translateTimestampSince } from './age.ts';
import {
  ageColumn,
  column,
  containerImages,
  containerNames,
  containersColumn,
  formatLabels,
  formatLabelSelector,
  imagesColumn,
  nameColumn,
  type TablePrinter,
} from './common.ts';

export const table: TablePrinter = {
  columns: [
    nameColumn,
    column('Desired', 'integer', 'The total number of nodes that should be running the daemon pod.'),
    column('Current', 'integer', 'The number of nodes running at least 1 daemon pod that are supposed to.'),
    column('Ready', 'integer', 'The number of nodes that should be running the daemon pod and have it ready.'),
    column('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    column('Available', 'integer', 'The number of nodes that should be running the daemon pod and have it available.'),
    column('Node Selector', 'string', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    column('Selector', 'string', 'A label query over pods that are managed by the daemon set.', 1),
  ],
  row(obj: KObject, now: number) {
    const status = obj.status ?? {};
    const podSpec = obj.spec?.template?.spec;
    return [
      obj.metadata.name,
      status.desiredNumberScheduled ?? 0,
      status.currentNumberScheduled ?? 0,
      status.numberReady ?? 0,
      status.updatedNumberScheduled ?? 0,
      status.numberAvailable ?? 0,
      formatLabels(podSpec?.nodeSelector),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      containerNames(podSpec?.containers),
      containerImages(podSpec?.containers),
      formatLabelSelector(obj.spec?.selector),
    ];
  },
};
