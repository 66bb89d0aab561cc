import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1.d.ts';
import { labelSelectorString } from '../api-types/label-selector.ts';
import type { KObject } from '../api-types/index.ts';
import { describeEvents } from './events.ts';
import { formatTime, intOrString, printAnnotationsMultiline, printLabelsMultiline } from './format.ts';
import { describePodTemplate } from './podtemplate.ts';
import { canonicalQuantity } from './quantity.ts';
import { podsStatus } from './replicaset.ts';
import { PrefixWriter } from './writer.ts';

export function describeStatefulSet(set: KObject, pods: KObject[], events: KObject[], now: number): string {
  const w = new PrefixWriter();
  const spec = set.spec ?? {};
  w.write(0, `Name:\t${set.metadata.name ?? ''}\n`);
  w.write(0, `Namespace:\t${set.metadata.namespace ?? ''}\n`);
  w.write(0, `CreationTimestamp:\t${formatTime(set.metadata.creationTimestamp)}\n`);
  w.write(0, `Selector:\t${labelSelectorString(spec.selector) ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', set.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', set.metadata.annotations);
  w.write(0, `Replicas:\t${spec.replicas ?? 1} desired | ${set.status?.replicas ?? 0} total\n`);
  w.write(0, `Update Strategy:\t${spec.updateStrategy?.type ?? ''}\n`);
  const ru = spec.updateStrategy?.rollingUpdate;
  if (ru?.partition != null) {
    w.write(1, `Partition:\t${ru.partition}\n`);
    if (ru.maxUnavailable != null) w.write(1, `MaxUnavailable:\t${intOrString(ru.maxUnavailable)}\n`);
  }
  w.write(0, `Pods Status:\t${podsStatus(set, pods)}\n`);
  describePodTemplate(spec.template, w);
  describeClaimTemplates(spec.volumeClaimTemplates ?? [], w);
  describeEvents(events, w, now);
  return w.toString();
}

function describeClaimTemplates(templates: PersistentVolumeClaim[], w: PrefixWriter): void {
  if (templates.length === 0) {
    w.write(0, 'Volume Claims:\t<none>\n');
    return;
  }
  w.write(0, 'Volume Claims:\n');
  for (const t of templates) {
    w.write(1, `Name:\t${t.metadata?.name ?? ''}\n`);
    w.write(1, `StorageClass:\t${t.spec?.storageClassName ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', t.metadata?.labels, '  ');
    printLabelsMultiline(w, 'Annotations', t.metadata?.annotations, '  ');
    const storage = t.spec?.resources?.requests?.storage;
    w.write(1, `Capacity:\t${storage !== undefined ? canonicalQuantity(storage) : '<default>'}\n`);
    w.write(1, `Access Modes:\t[${(t.spec?.accessModes ?? []).join(' ')}]\n`);
  }
}
