import type { LabelSelector } from 'kubernetes-types/meta/v1.d.ts';
import { labelSelectorString } from '../../api-types/label-selector.ts';
import { errors } from './errors.ts';

type Requirement = { key: string; op: 'in' | 'notin'; values: string[] } | { key: string; op: 'exists' | 'notexists' };

export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

const KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Split on commas that are not inside parentheses. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter((t) => t.length > 0);
}

function checkKey(key: string, selector: string): void {
  if (!KEY.test(key) || key.length > 316) {
    throw errors.badRequest(`unable to parse requirement: invalid label key "${key}" in selector "${selector}"`);
  }
}

function checkValue(value: string, selector: string): void {
  if (!VALUE.test(value) || value.length > 63) {
    throw errors.badRequest(`unable to parse requirement: invalid label value: "${value}" in selector "${selector}"`);
  }
}

/** Parse a label selector string (`a=b,c!=d,e in (f,g),!h`) into a matcher; 400 on bad syntax. */
export function parseLabelSelector(selector: string | undefined): LabelMatcher | undefined {
  if (!selector || !selector.trim()) return undefined;
  if (selector.length > 10_000) throw errors.badRequest('label selector too long');
  const reqs: Requirement[] = [];
  for (const term of splitTerms(selector)) {
    let m: RegExpMatchArray | null;
    if ((m = term.match(/^!\s*(\S+)$/))) {
      checkKey(m[1]!, selector);
      reqs.push({ key: m[1]!, op: 'notexists' });
    } else if ((m = term.match(/^(\S+?)\s*(==|!=|=)\s*(\S*)$/))) {
      checkKey(m[1]!, selector);
      checkValue(m[3]!, selector);
      reqs.push({ key: m[1]!, op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]!] });
    } else if ((m = term.match(/^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/))) {
      checkKey(m[1]!, selector);
      const values = m[3]!.split(',').map((v) => v.trim());
      values.forEach((v) => checkValue(v, selector));
      reqs.push({ key: m[1]!, op: m[2] as 'in' | 'notin', values });
    } else if ((m = term.match(/^(\S+)$/)) && !/[=!()]/.test(term)) {
      checkKey(m[1]!, selector);
      reqs.push({ key: m[1]!, op: 'exists' });
    } else {
      throw errors.badRequest(
        `unable to parse requirement: found '${term}', expected: valid label selector in "${selector}"`,
      );
    }
  }
  return (labels) => {
    const l = labels ?? {};
    for (const r of reqs) {
      const has = Object.prototype.hasOwnProperty.call(l, r.key);
      switch (r.op) {
        case 'exists':
          if (!has) return false;
          break;
        case 'notexists':
          if (has) return false;
          break;
        case 'in':
          if (!has || !r.values.includes(l[r.key]!)) return false;
          break;
        case 'notin':
          if (has && r.values.includes(l[r.key]!)) return false;
          break;
      }
    }
    return true;
  };
}

/** Whether labels match a metav1.LabelSelector object (empty selector matches everything). */
export function matchesLabelSelector(
  sel: LabelSelector | null | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!sel) return false;
  const s = labelSelectorString(sel);
  if (s === undefined) return false; // malformed: matches nothing, as upstream's conversion error
  const m = parseLabelSelector(s);
  return m ? m(labels) : true;
}

export type FieldMatcher = (fields: Record<string, string>) => boolean;

/** Parse a field selector (`a=b,c!=d`), checking every field against the ones the kind supports. */
export function parseFieldSelector(selector: string | undefined, supported: Set<string>): FieldMatcher | undefined {
  if (!selector || !selector.trim()) return undefined;
  const reqs: Array<{ field: string; neg: boolean; value: string }> = [];
  for (const term of splitTerms(selector)) {
    const m = term.match(/^([^=!]+?)\s*(==|!=|=)\s*(.*)$/);
    if (!m) throw errors.badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const field = m[1]!.trim();
    if (!supported.has(field)) throw errors.badRequest(`field label not supported: ${field}`);
    reqs.push({ field, neg: m[2] === '!=', value: m[3]!.trim() });
  }
  return (fields) => reqs.every((r) => (fields[r.field] === r.value) !== r.neg);
}
