import type { Secret } from 'kubernetes-types/core/v1.d.ts';
import type { Kind } from '../api-types/index.ts';
import { printAnnotationsMultiline, printLabelsMultiline } from './format.ts';
import { PrefixWriter } from './writer.ts';

/** Values stay hidden (byte counts), except a service-account token, as in kubectl. */
export function describeSecret(secret: Kind<Secret>): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${secret.metadata.name ?? ''}\n`);
  w.write(0, `Namespace:\t${secret.metadata.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', secret.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', secret.metadata.annotations);
  w.write(0, `\nType:\t${secret.type ?? ''}\n`);
  w.write(0, '\nData\n====\n');
  const data: Record<string, string> = secret.data ?? {};
  for (const k of Object.keys(data).sort()) {
    const bytes = Buffer.from(data[k] ?? '', 'base64');
    if (k === 'token' && secret.type === 'kubernetes.io/service-account-token')
      w.write(0, `${k}:\t${bytes.toString('utf8')}\n`);
    else w.write(0, `${k}:\t${bytes.length} bytes\n`);
  }
  return w.toString();
}
