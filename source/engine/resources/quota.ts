import type { KObject, StatusCause } from '../../api-types/index.ts';
import { limitRangeDefaults } from '../admission/limit-range.ts';
import { parseQuantity } from '../scheduler/resources.ts';
import { cause, isObject } from './validation.ts';
import { DEFAULT_VERBS, type ResourceDef } from './types.ts';

function validateAmounts(field: string, m: unknown, out: StatusCause[]): void {
  if (m === undefined || m === null) return;
  if (!isObject(m)) return void out.push(cause.invalid(field, m, 'must be a map of resource names to quantities'));
  for (const [k, v] of Object.entries(m)) {
    const n = parseQuantity(v);
    if (Number.isNaN(n))
      out.push(
        cause.invalid(
          `${field}[${k}]`,
          v,
          "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        ),
      );
    else if (n < 0) out.push(cause.invalid(`${field}[${k}]`, v, 'must be greater than or equal to 0'));
  }
}

export const resourcequotas: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  plural: 'resourcequotas',
  singular: 'resourcequota',
  namespaced: true,
  shortNames: ['quota'],
  verbs: DEFAULT_VERBS,
  hasStatus: true,
  subresources: [{ name: 'status', kind: 'ResourceQuota', verbs: ['get', 'patch', 'update'] }],
  validate(o: KObject) {
    const out: StatusCause[] = [];
    validateAmounts('spec.hard', o.spec?.hard, out);
    return out;
  },
};

export const limitranges: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'LimitRange',
  plural: 'limitranges',
  singular: 'limitrange',
  namespaced: true,
  shortNames: ['limits'],
  verbs: DEFAULT_VERBS,
  defaults: limitRangeDefaults,
  validate(o: KObject) {
    const out: StatusCause[] = [];
    const limits = o.spec?.limits;
    if (!Array.isArray(limits)) return [cause.required('spec.limits')];
    limits.forEach((l: unknown, i: number) => {
      if (!isObject(l)) return void out.push(cause.invalid(`spec.limits[${i}]`, l, 'must be an object'));
      if (!['Container', 'Pod', 'PersistentVolumeClaim'].includes(l.type))
        out.push(
          cause.notSupported(`spec.limits[${i}].type`, l.type ?? '', ['Container', 'Pod', 'PersistentVolumeClaim']),
        );
      for (const f of ['default', 'defaultRequest', 'max', 'min', 'maxLimitRequestRatio'])
        validateAmounts(`spec.limits[${i}].${f}`, l[f], out);
    });
    return out;
  },
};
