import type { JobCondition } from 'kubernetes-types/batch/v1.d.ts';
import type { KObject } from '../../../api-types/index.ts';
import { humanDuration, timestampMs, translateTimestampSince } from './age.ts';
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

/** Status of the first condition of `type` is True (later duplicates are ignored). */
function hasCondition(conditions: JobCondition[] | undefined, type: string): boolean {
  if (conditions) for (const c of conditions) if (c.type === type) return c.status === 'True';
  return false;
}

function jobStatus(job: KObject): string {
  const conditions = job.status?.conditions;
  if (hasCondition(conditions, 'Complete')) return 'Complete';
  if (hasCondition(conditions, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(conditions, 'Suspended')) return 'Suspended';
  if (hasCondition(conditions, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function completions(job: KObject): string {
  const succeeded = job.status?.succeeded ?? 0;
  const wanted = job.spec?.completions;
  if (wanted != null) return `${succeeded}/${wanted}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function duration(job: KObject, now: number): string {
  const start = timestampMs(job.status?.startTime);
  if (Number.isNaN(start)) return '';
  const end = timestampMs(job.status?.completionTime);
  return humanDuration((Number.isNaN(end) ? now : end) - start);
}

export const table: TablePrinter = {
  columns: [
    nameColumn,
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', 'The number of pods which reached phase Succeeded.'),
    column('Duration', 'string', 'Time required to complete the job.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    column('Selector', 'string', 'A label query over pods that should match the pod count.', 1),
  ],
  row(obj: KObject, now: number) {
    const containers = obj.spec?.template?.spec?.containers;
    return [
      obj.metadata.name,
      jobStatus(obj),
      completions(obj),
      duration(obj, now),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      containerNames(containers),
      containerImages(containers),
      formatLabelSelector(obj.spec?.selector),
    ];
  },
};
