import type { KObject } from '../api-types/index.ts';
import { labelSelectorString } from '../api-types/label-selector.ts';
import { humanDuration } from './age.ts';
import { describeEvents } from './events.ts';
import { formatTime, printAnnotationsMultiline, printController, printLabelsMultiline } from './format.ts';
import { nextJobRetry, retryText } from './job-backoff.ts';
import { describePodTemplate } from './podtemplate.ts';
import { PrefixWriter } from './writer.ts';

/** kubectl's capIndexesListOrNone: at most `max` characters of the list, cut at a comma. */
function capIndexes(list: unknown, max: number): string {
  if (typeof list !== 'string' || list === '') return '<none>';
  if (list.length <= max) return list;
  const cut = list.slice(0, max).lastIndexOf(',');
  return `${list.slice(0, cut < 0 ? max : cut)}, ...`;
}

/** `pods` (the job's, when known) add the countdown of a retry waiting out its back-off, which kubectl does not show. */
export function describeJob(
  job: KObject,
  events: KObject[],
  now: number,
  pods?: readonly KObject[],
  timeScale = 1,
): string {
  const w = new PrefixWriter();
  const spec = job.spec ?? {};
  const status = job.status ?? {};
  w.write(0, `Name:\t${job.metadata.name ?? ''}\n`);
  w.write(0, `Namespace:\t${job.metadata.namespace ?? ''}\n`);
  w.write(0, `Selector:\t${labelSelectorString(spec.selector) ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', job.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', job.metadata.annotations);
  const controlledBy = printController(job);
  if (controlledBy) w.write(0, `Controlled By:\t${controlledBy}\n`);
  if (spec.parallelism != null) w.write(0, `Parallelism:\t${spec.parallelism}\n`);
  w.write(0, `Completions:\t${spec.completions ?? '<unset>'}\n`);
  if (spec.completionMode != null) w.write(0, `Completion Mode:\t${spec.completionMode}\n`);
  if (spec.suspend != null) w.write(0, `Suspend:\t${spec.suspend}\n`);
  if (spec.backoffLimit != null) w.write(0, `Backoff Limit:\t${spec.backoffLimit}\n`);
  if (spec.ttlSecondsAfterFinished != null)
    w.write(0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
  if (status.startTime) w.write(0, `Start Time:\t${formatTime(status.startTime)}\n`);
  if (status.completionTime) w.write(0, `Completed At:\t${formatTime(status.completionTime)}\n`);
  if (status.startTime && status.completionTime)
    w.write(0, `Duration:\t${humanDuration(Date.parse(status.completionTime) - Date.parse(status.startTime))}\n`);
  if (spec.activeDeadlineSeconds != null) w.write(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  const counts = `${status.succeeded ?? 0} Succeeded / ${status.failed ?? 0} Failed`;
  if (status.ready == null) w.write(0, `Pods Statuses:\t${status.active ?? 0} Active / ${counts}\n`);
  else w.write(0, `Pods Statuses:\t${status.active ?? 0} Active (${status.ready} Ready) / ${counts}\n`);
  if (spec.completionMode === 'Indexed') w.write(0, `Completed Indexes:\t${capIndexes(status.completedIndexes, 50)}\n`);
  const retry = pods && nextJobRetry(job, pods, now, timeScale);
  if (retry) w.write(0, `Next Retry:\t${retryText(retry, now)}\n`);
  describePodTemplate(spec.template, w);
  describeEvents(events, w, now);
  return w.toString();
}

const boolPtr = (v: unknown) => (v == null ? '<unset>' : v ? 'True' : 'False');

export function describeCronJob(cj: KObject, events: KObject[], now: number): string {
  const w = new PrefixWriter();
  const spec = cj.spec ?? {};
  const jobSpec = spec.jobTemplate?.spec ?? {};
  w.write(0, `Name:\t${cj.metadata.name ?? ''}\n`);
  w.write(0, `Namespace:\t${cj.metadata.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', cj.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', cj.metadata.annotations);
  w.write(0, `Schedule:\t${spec.schedule ?? ''}\n`);
  w.write(0, `Concurrency Policy:\t${spec.concurrencyPolicy ?? ''}\n`);
  w.write(0, `Suspend:\t${boolPtr(spec.suspend)}\n`);
  w.write(0, `Successful Job History Limit:\t${spec.successfulJobsHistoryLimit ?? '<unset>'}\n`);
  w.write(0, `Failed Job History Limit:\t${spec.failedJobsHistoryLimit ?? '<unset>'}\n`);
  w.write(
    0,
    `Starting Deadline Seconds:\t${spec.startingDeadlineSeconds != null ? `${spec.startingDeadlineSeconds}s` : '<unset>'}\n`,
  );
  w.write(0, `Selector:\t${jobSpec.selector ? (labelSelectorString(jobSpec.selector) ?? '') : '<unset>'}\n`);
  w.write(0, `Parallelism:\t${jobSpec.parallelism ?? '<unset>'}\n`);
  w.write(0, `Completions:\t${jobSpec.completions ?? '<unset>'}\n`);
  if (jobSpec.activeDeadlineSeconds != null)
    w.write(0, `Active Deadline Seconds:\t${jobSpec.activeDeadlineSeconds}s\n`);
  describePodTemplate(jobSpec.template, w);
  w.write(
    0,
    `Last Schedule Time:\t${cj.status?.lastScheduleTime ? formatTime(cj.status.lastScheduleTime) : '<unset>'}\n`,
  );
  const active: Array<{ name?: string }> = cj.status?.active ?? [];
  w.write(0, `Active Jobs:\t${active.length ? active.map((r) => r.name ?? '').join(', ') : '<none>'}\n`);
  describeEvents(events, w, now);
  return w.toString();
}
