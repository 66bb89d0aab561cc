import type { KObject } from '../api-types/index.ts';
import { labelSelectorString } from '../api-types/label-selector.ts';
import { describeEvents } from './events.ts';
import { formatLabels, printAnnotationsMultiline, printLabelsMultiline } from './format.ts';
import { describePodTemplate } from './podtemplate.ts';
import { podsStatus } from './replicaset.ts';
import { PrefixWriter } from './writer.ts';

export function describeDaemonSet(ds: KObject, pods: KObject[], events: KObject[], now: number): string {
  const w = new PrefixWriter();
  const status = ds.status ?? {};
  w.write(0, `Name:\t${ds.metadata.name ?? ''}\n`);
  w.write(0, `Selector:\t${labelSelectorString(ds.spec?.selector) ?? ''}\n`);
  w.write(0, `Node-Selector:\t${formatLabels(ds.spec?.template?.spec?.nodeSelector)}\n`);
  printLabelsMultiline(w, 'Labels', ds.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', ds.metadata.annotations);
  w.write(0, `Desired Number of Nodes Scheduled: ${status.desiredNumberScheduled ?? 0}\n`);
  w.write(0, `Current Number of Nodes Scheduled: ${status.currentNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Up-to-date Pods: ${status.updatedNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Available Pods: ${status.numberAvailable ?? 0}\n`);
  w.write(0, `Number of Nodes Misscheduled: ${status.numberMisscheduled ?? 0}\n`);
  w.write(0, `Pods Status:\t${podsStatus(ds, pods)}\n`);
  describePodTemplate(ds.spec?.template, w);
  describeEvents(events, w, now);
  return w.toString();
}
