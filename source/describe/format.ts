import type { LabelSelector } from 'kubernetes-types/meta/v1.d.ts';
import type { KObject, OwnerReference } from '../api-types/index.ts';
import { labelSelectorString } from '../api-types/label-selector.ts';
import type { PrefixWriter } from './writer.ts';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Go's time.RFC1123Z in UTC; a missing time prints as Go's zero time, like kubectl. */
export function formatTime(ts: string | null | undefined): string {
  let t = ts ? Date.parse(ts) : NaN;
  if (Number.isNaN(t)) t = Date.parse('0001-01-01T00:00:00Z');
  const d = new Date(t);
  return (
    `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCFullYear(), 4)} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`
  );
}

export const stringOrNone = (s: unknown) => (s === undefined || s === null || s === '' ? '<none>' : String(s));
export const printBool = (b: unknown) => (b ? 'True' : 'False');

/** Go's `%v` for a value decoded from JSON. */
export function goValue(v: unknown): string {
  if (v === undefined || v === null) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') {
    const keys = Object.keys(v as object).sort();
    return `map[${keys.map((k) => `${k}:${goValue((v as Record<string, unknown>)[k])}`).join(' ')}]`;
  }
  return String(v);
}

/** IntOrString.String(). */
export function intOrString(v: unknown): string {
  if (v === undefined || v === null) return '<nil>';
  return String(v);
}

export function controllerOf(obj: KObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

export function printController(obj: KObject): string {
  const ref = controllerOf(obj);
  return ref ? `${ref.kind}/${ref.name}` : '';
}

/** labels.Set(m).String(): sorted `k=v` joined by commas. */
export function labelsString(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${m![k]}`)
    .join(',');
}

/** labels.FormatLabels. */
export function formatLabels(m: Record<string, string> | undefined): string {
  return labelsString(m) || '<none>';
}

/** metav1.FormatLabelSelector. */
export function formatLabelSelector(sel: LabelSelector | undefined | null): string {
  return labelSelectorString(sel) || '<none>';
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function printLabelsMultiline(
  w: PrefixWriter,
  title: string,
  labels: Record<string, string> | undefined,
  initialIndent = '',
  innerIndent = '\t',
): void {
  w.write(0, `${initialIndent}${title}:${innerIndent}`);
  const keys = Object.keys(labels ?? {}).sort(byString);
  if (keys.length === 0) return w.writeLine('<none>');
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, initialIndent + innerIndent);
    w.write(0, `${k}=${labels![k]}\n`);
  });
}

const MAX_ANNOTATION_LEN = 140;
const shorten = (s: string, max: number) => (s.length > max ? s.slice(0, max) + '...' : s);

export function printAnnotationsMultiline(
  w: PrefixWriter,
  title: string,
  annotations: Record<string, string> | undefined,
): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {})
    .filter((k) => k !== 'kubectl.kubernetes.io/last-applied-configuration')
    .sort(byString);
  if (keys.length === 0) return w.writeLine('<none>');
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, '\t');
    const value = annotations![k].replace(/\n$/, '');
    if (value.length + k.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(0, `${k}:\n`);
      for (const s of value.split('\n')) w.write(0, `\t  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`);
    } else {
      w.write(0, `${k}: ${value}\n`);
    }
  });
}

interface Taint {
  key: string;
  value?: string;
  effect?: string;
}

export function taintString(t: Taint): string {
  if (!t.effect) return t.value ? `${t.key}=${t.value}:` : t.key;
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}

export function printTaintsMultiline(w: PrefixWriter, title: string, taints: Taint[] | undefined): void {
  w.write(0, `${title}:\t`);
  if (!taints?.length) return w.writeLine('<none>');
  const key = (t: Taint) => `${t.effect ?? ''},${t.key}`;
  [...taints]
    .sort((a, b) => byString(key(a), key(b)))
    .forEach((t, i) => {
      if (i !== 0) w.write(0, '\t');
      w.write(0, `${taintString(t)}\n`);
    });
}

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export function printTolerationsMultiline(
  w: PrefixWriter,
  title: string,
  tolerations: Toleration[] | undefined,
  initialIndent = '',
): void {
  w.write(0, `${initialIndent}${title}:\t`);
  if (!tolerations?.length) return w.writeLine('<none>');
  [...tolerations]
    .sort((a, b) => byString(a.key ?? '', b.key ?? ''))
    .forEach((t, i) => {
      if (i !== 0) w.write(0, initialIndent + '\t');
      let s = t.key ?? '';
      if (t.value) s += `=${t.value}`;
      if (t.effect) s += `:${t.effect}`;
      if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
      if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
      w.write(0, s + '\n');
    });
}
