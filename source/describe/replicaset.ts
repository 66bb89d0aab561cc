import type { KObject } from '../api-types/index.ts';
import { describeEvents } from './events.ts';
import {
  controllerOf,
  formatLabelSelector,
  printAnnotationsMultiline,
  printController,
  printLabelsMultiline,
} from './format.ts';
import { describePodTemplate } from './podtemplate.ts';
import { PrefixWriter } from './writer.ts';

export function describeReplicaSet(rs: KObject, pods: KObject[], events: KObject[], now: number): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${rs.metadata.name ?? ''}\n`);
  w.write(0, `Namespace:\t${rs.metadata.namespace ?? ''}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(rs.spec?.selector)}\n`);
  printLabelsMultiline(w, 'Labels', rs.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', rs.metadata.annotations);
  const controlledBy = printController(rs);
  if (controlledBy) w.write(0, `Controlled By:\t${controlledBy}\n`);
  w.write(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 0} desired\n`);
  w.write(0, `Pods Status:\t${podsStatus(rs, pods)}\n`);
  describePodTemplate(rs.spec?.template, w);
  if (rs.status?.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of rs.status.conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  describeEvents(events, w, now);
  return w.toString();
}

/** `1 Running / 0 Waiting / 0 Succeeded / 0 Failed` over the pods this controller owns. */
export function podsStatus(owner: KObject, pods: KObject[]): string {
  const n = { Running: 0, Pending: 0, Succeeded: 0, Failed: 0 } as Record<string, number>;
  for (const p of pods) {
    if (owner.metadata.uid === undefined || controllerOf(p)?.uid !== owner.metadata.uid) continue;
    const phase = p.status?.phase;
    if (phase in n) n[phase]++;
  }
  return `${n.Running} Running / ${n.Pending} Waiting / ${n.Succeeded} Succeeded / ${n.Failed} Failed`;
}
