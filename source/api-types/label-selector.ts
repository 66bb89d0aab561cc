import type { LabelSelector } from 'kubernetes-types/meta/v1.d.ts';

/**
 * `LabelSelectorAsSelector(sel).String()`: requirements sorted by key, values sorted; `''` for nil or empty,
 * undefined when the selector is malformed.
 */
export function labelSelectorString(sel: LabelSelector | null | undefined): string | undefined {
  if (!sel) return '';
  const reqs: Array<[string, string]> = [];
  const ml = sel.matchLabels as Record<string, string> | undefined;
  if (ml) for (const k of Object.keys(ml)) reqs.push([k, `${k}=${ml[k]}`]);
  const exprs = sel.matchExpressions as Array<{ key: string; operator: string; values?: string[] }> | undefined;
  if (exprs) {
    for (const e of exprs) {
      const n = e.values?.length ?? 0;
      const values = n ? [...e.values!].sort().join(',') : '';
      if ((e.operator === 'In' || e.operator === 'NotIn') !== n > 0) return undefined;
      switch (e.operator) {
        case 'In':
          reqs.push([e.key, `${e.key} in (${values})`]);
          break;
        case 'NotIn':
          reqs.push([e.key, `${e.key} notin (${values})`]);
          break;
        case 'Exists':
          reqs.push([e.key, e.key]);
          break;
        case 'DoesNotExist':
          reqs.push([e.key, `!${e.key}`]);
          break;
        default:
          return undefined;
      }
    }
  }
  reqs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let out = '';
  for (let i = 0; i < reqs.length; i++) out += (i ? ',' : '') + reqs[i][1];
  return out;
}
