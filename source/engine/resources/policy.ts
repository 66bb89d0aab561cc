import type { KObject, StatusCause } from '../../api-types/index.ts';
import { cause, isObject } from './validation.ts';
import { DEFAULT_VERBS, type ResourceDef } from './types.ts';

const INT_OR_PERCENT = /^(\d+)%$/;

function checkIntOrPercent(field: string, v: unknown, out: StatusCause[]): void {
  if (v === undefined || v === null) return;
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0) out.push(cause.invalid(field, v, 'must be greater than or equal to 0'));
    return;
  }
  const m = typeof v === 'string' ? INT_OR_PERCENT.exec(v) : null;
  if (!m)
    return void out.push(
      cause.invalid(
        field,
        v,
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      ),
    );
  if (Number(m[1]) > 100) out.push(cause.invalid(field, v, 'must not be greater than 100%'));
}

/** policy/v1 PodDisruptionBudget: the budget the eviction subresource (kubectl drain) respects. */
export const poddisruptionbudgets: ResourceDef = {
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  plural: 'poddisruptionbudgets',
  singular: 'poddisruptionbudget',
  namespaced: true,
  shortNames: ['pdb'],
  verbs: DEFAULT_VERBS,
  hasStatus: true,
  subresources: [{ name: 'status', kind: 'PodDisruptionBudget', verbs: ['get', 'patch', 'update'] }],
  prepareForCreate(o: KObject) {
    o.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  },
  validate(o: KObject) {
    const out: StatusCause[] = [];
    const s = o.spec ?? {};
    if (s.minAvailable !== undefined && s.maxUnavailable !== undefined) {
      out.push(cause.invalid('spec', s, 'minAvailable and maxUnavailable cannot be both set'));
    }
    checkIntOrPercent('spec.minAvailable', s.minAvailable, out);
    checkIntOrPercent('spec.maxUnavailable', s.maxUnavailable, out);
    if (s.selector !== undefined && s.selector !== null && !isObject(s.selector))
      out.push(cause.invalid('spec.selector', s.selector, 'must be a label selector'));
    const policy = s.unhealthyPodEvictionPolicy;
    if (policy !== undefined && policy !== 'IfHealthyBudget' && policy !== 'AlwaysAllow') {
      out.push(cause.notSupported('spec.unhealthyPodEvictionPolicy', policy, ['AlwaysAllow', 'IfHealthyBudget']));
    }
    return out;
  },
};
