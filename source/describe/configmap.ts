import type { ConfigMap } from 'kubernetes-types/core/v1.d.ts';
import type { Kind, KObject } from '../api-types/index.ts';
import { describeEvents } from './events.ts';
import { printAnnotationsMultiline, printLabelsMultiline } from './format.ts';
import { PrefixWriter } from './writer.ts';

export function describeConfigMap(cm: Kind<ConfigMap>, events: KObject[], now: number): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${cm.metadata.name ?? ''}\n`);
  w.write(0, `Namespace:\t${cm.metadata.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', cm.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', cm.metadata.annotations);
  w.write(0, '\nData\n====\n');
  const data: Record<string, string> = cm.data ?? {};
  for (const k of Object.keys(data).sort()) {
    w.write(0, `${k}:\n----\n`);
    w.write(0, `${data[k]}\n`);
    w.write(0, '\n');
  }
  w.write(0, '\nBinaryData\n====\n');
  const binary: Record<string, string> = cm.binaryData ?? {};
  for (const k of Object.keys(binary).sort()) w.write(0, `${k}: ${Buffer.from(binary[k], 'base64').length} bytes\n`);
  w.write(0, '\n');
  describeEvents(events, w, now);
  return w.toString();
}
