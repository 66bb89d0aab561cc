import type { KObject } from '../../../api-types/index.ts';
import { translateTimestampSince } from './age.ts';
import {
  ageColumn,
  column,
  containerImages,
  containerNames,
  containersColumn,
  formatLabelSelector,
  imagesColumn,
  nameColumn,
  type TablePrinter,
} from './common.ts';

function boolPtr(v: unknown): string {
  return v == null ? '<unset>' : v ? 'True' : 'False';
}

export const table: TablePrinter = {
  columns: [
    nameColumn,
    column('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    column('Timezone', 'string', 'The time zone name for the given schedule.'),
    column('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions.'),
    column('Active', 'integer', 'A list of pointers to currently running jobs.'),
    column('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    column('Selector', 'string', 'A label query over pods that should match the pod count.', 1),
  ],
  row(obj: KObject, now: number) {
    const spec = obj.spec ?? {};
    const jobSpec = spec.jobTemplate?.spec;
    const containers = jobSpec?.template?.spec?.containers;
    const last = obj.status?.lastScheduleTime;
    return [
      obj.metadata.name,
      spec.schedule ?? '',
      spec.timeZone ?? '<none>',
      boolPtr(spec.suspend),
      obj.status?.active?.length ?? 0,
      last == null ? '<none>' : translateTimestampSince(last, now),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      containerNames(containers),
      containerImages(containers),
      formatLabelSelector(jobSpec?.selector),
    ];
  },
};
