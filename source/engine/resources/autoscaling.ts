import type { HPAScalingRules } from 'kubernetes-types/autoscaling/v2.d.ts';
import type { KObject, StatusCause } from '../../api-types/index.ts';
import { parseQuantity } from '../scheduler/resources.ts';
import type { ResourceDef } from './types.ts';
import { cause, isObject } from './validation.ts';

/** Upstream's defaults for `behavior` rules left out (scale up fast, scale down after 5 minutes). */
export function defaultScaleUp(): HPAScalingRules {
  return {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}

export function defaultScaleDown(): HPAScalingRules {
  return {
    stabilizationWindowSeconds: 300,
    selectPolicy: 'Max',
    policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
  };
}

function fillRules(rules: HPAScalingRules | undefined, defaults: HPAScalingRules): HPAScalingRules {
  if (!isObject(rules)) return defaults;
  rules.selectPolicy ??= defaults.selectPolicy;
  rules.policies ??= defaults.policies;
  rules.stabilizationWindowSeconds ??= defaults.stabilizationWindowSeconds;
  return rules;
}

const METRIC_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];

function validateRules(rules: unknown, field: string, out: StatusCause[]): void {
  if (!isObject(rules)) return;
  const w = rules.stabilizationWindowSeconds;
  if (w !== undefined && (!Number.isInteger(w) || w < 0))
    out.push(cause.invalid(`${field}.stabilizationWindowSeconds`, w, 'must be greater than or equal to zero'));
  else if (w > 3600)
    out.push(cause.invalid(`${field}.stabilizationWindowSeconds`, w, 'must be less than or equal to 3600'));
  if (rules.selectPolicy !== undefined && !['Max', 'Min', 'Disabled'].includes(rules.selectPolicy)) {
    out.push(cause.notSupported(`${field}.selectPolicy`, rules.selectPolicy, ['Disabled', 'Max', 'Min']));
  }
  const policies: unknown[] = Array.isArray(rules.policies) ? rules.policies : [];
  if (Array.isArray(rules.policies) && !policies.length && rules.selectPolicy !== 'Disabled')
    out.push(cause.required(`${field}.policies`, 'must specify at least one Policy'));
  policies.forEach((p, i) => {
    const f = `${field}.policies[${i}]`;
    if (!isObject(p)) return;
    if (!['Pods', 'Percent'].includes(p.type)) out.push(cause.notSupported(`${f}.type`, p.type, ['Percent', 'Pods']));
    if (!Number.isInteger(p.value) || p.value <= 0)
      out.push(cause.invalid(`${f}.value`, p.value, 'must be greater than zero'));
    if (!Number.isInteger(p.periodSeconds) || p.periodSeconds <= 0)
      out.push(cause.invalid(`${f}.periodSeconds`, p.periodSeconds, 'must be greater than zero'));
    else if (p.periodSeconds > 1800)
      out.push(cause.invalid(`${f}.periodSeconds`, p.periodSeconds, 'must be less than or equal to 1800'));
  });
}

function validateTarget(target: unknown, field: string, out: StatusCause[]): void {
  if (!isObject(target)) return void out.push(cause.required(field));
  if (target.type === 'Utilization') {
    const u = target.averageUtilization;
    if (u === undefined)
      out.push(
        cause.required(`${field}.averageUtilization`, 'must set either a target raw value or a target utilization'),
      );
    else if (!Number.isInteger(u) || u <= 0)
      out.push(cause.invalid(`${field}.averageUtilization`, u, 'must be greater than 0'));
  } else if (target.type === 'AverageValue' || target.type === 'Value') {
    const key = target.type === 'AverageValue' ? 'averageValue' : 'value';
    const v = target[key];
    let n = NaN;
    try {
      n = parseQuantity(v);
    } catch {
      // reported below
    }
    if (v === undefined)
      out.push(cause.required(`${field}.${key}`, 'must set either a target raw value or a target utilization'));
    else if (!(n > 0)) out.push(cause.invalid(`${field}.${key}`, v, 'must be positive'));
  } else {
    out.push(cause.notSupported(`${field}.type`, target.type, ['AverageValue', 'Utilization', 'Value']));
  }
}

/** autoscaling/v2 HorizontalPodAutoscaler (v1 is served by conversion, `api/hpa-v1.ts`). */
export const horizontalpodautoscalers: ResourceDef = {
  group: 'autoscaling',
  version: 'v2',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  hasStatus: true,
  subresources: [{ name: 'status', verbs: ['get', 'patch', 'update'] }],
  prepareForCreate(o: KObject) {
    o.status = { currentReplicas: 0, desiredReplicas: 0 };
  },
  defaults(o: KObject) {
    const s = (o.spec ??= {});
    s.minReplicas ??= 1;
    if (!Array.isArray(s.metrics) || !s.metrics.length) {
      s.metrics = [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
      ];
    }
    if (isObject(s.behavior)) {
      s.behavior.scaleUp = fillRules(s.behavior.scaleUp, defaultScaleUp());
      s.behavior.scaleDown = fillRules(s.behavior.scaleDown, defaultScaleDown());
    }
  },
  validate(o: KObject) {
    const out: StatusCause[] = [];
    const s = o.spec;
    if (!isObject(s)) return [cause.required('spec')];
    const ref = s.scaleTargetRef;
    if (!isObject(ref) || !ref.kind) out.push(cause.required('spec.scaleTargetRef.kind'));
    if (!isObject(ref) || !ref.name) out.push(cause.required('spec.scaleTargetRef.name'));
    const min = s.minReplicas;
    if (!Number.isInteger(min) || min < 1)
      out.push(cause.invalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
    if (!Number.isInteger(s.maxReplicas) || s.maxReplicas < 1)
      out.push(cause.invalid('spec.maxReplicas', s.maxReplicas, 'must be greater than 0'));
    else if (Number.isInteger(min) && s.maxReplicas < min)
      out.push(cause.invalid('spec.maxReplicas', s.maxReplicas, 'must be greater than or equal to `minReplicas`'));
    (Array.isArray(s.metrics) ? s.metrics : []).forEach((m: unknown, i: number) => {
      const f = `spec.metrics[${i}]`;
      if (!isObject(m)) return;
      if (!METRIC_TYPES.includes(m.type)) return void out.push(cause.notSupported(`${f}.type`, m.type, METRIC_TYPES));
      if (m.type === 'Resource') {
        if (!isObject(m.resource))
          return void out.push(
            cause.required(`${f}.resource`, 'must populate information for the given metric source'),
          );
        if (!m.resource.name) out.push(cause.required(`${f}.resource.name`, 'must specify a resource name'));
        validateTarget(m.resource.target, `${f}.resource.target`, out);
      }
    });
    if (isObject(s.behavior)) {
      validateRules(s.behavior.scaleUp, 'spec.behavior.scaleUp', out);
      validateRules(s.behavior.scaleDown, 'spec.behavior.scaleDown', out);
    }
    return out;
  },
};

/** autoscaling/v1 HorizontalPodAutoscaler: discovery and OpenAPI naming only; served by `api/hpa-v1.ts` from the v2 objects. */
export const horizontalpodautoscalersV1: ResourceDef = {
  group: 'autoscaling',
  version: 'v1',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  hasStatus: true,
  subresources: [{ name: 'status', verbs: ['get', 'patch', 'update'] }],
};
