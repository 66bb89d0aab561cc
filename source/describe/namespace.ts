import type { NamespaceCondition } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../api-types/index.ts';
import { formatTime, printAnnotationsMultiline, printLabelsMultiline } from './format.ts';
import { PrefixWriter } from './writer.ts';

// kubectl shows no events for namespaces. Quotas and limit ranges are not fetched by skiff,
// so the empty forms are printed.
export function describeNamespace(ns: KObject): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ns.metadata.name ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', ns.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', ns.metadata.annotations);
  w.write(0, `Status:\t${ns.status?.phase ?? ''}\n`);
  const conditions: NamespaceCondition[] = ns.status?.conditions ?? [];
  if (conditions.length > 0) {
    w.write(0, 'Conditions:\n');
    w.write(1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t------------------\t------\t-------\n');
    for (const c of conditions) {
      w.write(
        1,
        `${c.type}\t${c.status}\t${formatTime(c.lastTransitionTime)}\t${c.reason ?? ''}\t${c.message ?? ''}\n`,
      );
    }
  }
  w.write(0, '\n');
  w.write(0, 'No resource quota.\n');
  w.write(0, '\n');
  w.write(0, 'No LimitRange resource.\n');
  return w.toString();
}
