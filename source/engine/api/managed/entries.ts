import { FieldSet } from './fieldset.ts';

/** One `metadata.managedFields` entry with its set parsed. */
export interface Managed {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  subresource?: string;
  set: FieldSet;
}

export const sameManager = (
  a: Pick<Managed, 'manager' | 'operation' | 'apiVersion' | 'subresource'>,
  b: typeof a,
): boolean =>
  a.manager === b.manager &&
  a.operation === b.operation &&
  (a.subresource ?? '') === (b.subresource ?? '') &&
  (a.operation === 'Apply' || a.apiVersion === b.apiVersion);

/** Parse stored or user-sent managedFields; an unusable list counts as none, as the apiserver resets it. */
export function decodeManaged(list: unknown): Managed[] {
  if (!Array.isArray(list)) return [];
  const out: Managed[] = [];
  try {
    for (const e of list) {
      if (!e || typeof e !== 'object') return [];
      const m = e as Record<string, unknown>;
      if (typeof m.manager !== 'string' || (m.operation !== 'Apply' && m.operation !== 'Update')) return [];
      if (m.fieldsType !== undefined && m.fieldsType !== 'FieldsV1') return [];
      out.push({
        manager: m.manager,
        operation: m.operation,
        apiVersion: typeof m.apiVersion === 'string' ? m.apiVersion : '',
        time: typeof m.time === 'string' ? m.time : undefined,
        subresource: typeof m.subresource === 'string' && m.subresource ? m.subresource : undefined,
        set: m.fieldsV1 === undefined ? new FieldSet() : FieldSet.fromFieldsV1(m.fieldsV1),
      });
    }
  } catch {
    return [];
  }
  return out;
}

/** Entries as the apiserver writes them: Apply before Update, then by time, manager, version. */
export function encodeManaged(list: Managed[]): Record<string, unknown>[] {
  const sorted = list
    .filter((m) => m.set.size > 0)
    .sort(
      (a, b) =>
        cmp(a.operation, b.operation) ||
        cmp(a.time ?? '', b.time ?? '') ||
        cmp(a.manager, b.manager) ||
        cmp(a.apiVersion, b.apiVersion) ||
        cmp(a.subresource ?? '', b.subresource ?? ''),
    );
  return sorted.map((m) => ({
    manager: m.manager,
    operation: m.operation,
    apiVersion: m.apiVersion,
    ...(m.time ? { time: m.time } : {}),
    fieldsType: 'FieldsV1',
    fieldsV1: m.set.toFieldsV1(),
    ...(m.subresource ? { subresource: m.subresource } : {}),
  }));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `Apply failed with …`: how a conflicting manager is named in the message. */
export function describeManager(m: Managed): string {
  let s = JSON.stringify(m.manager);
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === 'Update') s += m.time ? ` using ${m.apiVersion} at ${m.time}` : ` using ${m.apiVersion}`;
  return s;
}
