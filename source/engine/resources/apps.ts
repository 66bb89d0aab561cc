import type { KObject, StatusCause } from '../../api-types/index.ts';
import { matchesLabelSelector } from '../store/selectors.ts';
import { defaultPodSpec, validatePodSpec } from './pod-spec.ts';
import type { ResourceDef } from './types.ts';
import { cause, intOrPercent, isObject } from './validation.ts';

const sub = (kind: string) => [
  { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
  { name: 'status', kind, group: 'apps', version: 'v1', verbs: ['get', 'patch', 'update'] },
];

function defaultTemplate(o: KObject): void {
  if (!isObject(o.spec?.template)) return;
  o.spec.template.metadata ??= {};
  o.spec.template.metadata.creationTimestamp ??= null;
  defaultPodSpec(o.spec.template.spec);
}

/** selector required, matches template labels, immutable; the template is a valid pod spec. */
function validateWorkload(o: KObject, old: KObject | undefined, out: StatusCause[]): void {
  const s = o.spec;
  if (!isObject(s)) {
    out.push(cause.required('spec'));
    return;
  }
  if (s.replicas !== undefined && (!Number.isInteger(s.replicas) || s.replicas < 0)) {
    out.push(cause.invalid('spec.replicas', s.replicas, 'must be greater than or equal to 0'));
  } else if (s.replicas > 2147483647) {
    out.push(cause.invalid('spec.replicas', s.replicas, 'must be less than or equal to 2147483647'));
  }
  const sel = s.selector;
  const empty = !isObject(sel) || (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length);
  if (empty) out.push(cause.required('spec.selector'));
  if (!isObject(s.template)) {
    out.push(cause.required('spec.template'));
    return;
  }
  const labels = s.template.metadata?.labels;
  if (!empty) {
    try {
      if (!matchesLabelSelector(sel, labels)) {
        out.push(cause.invalid('spec.template.metadata.labels', labels ?? {}, '`selector` does not match template `labels`'));
      }
    } catch {
      out.push(cause.invalid('spec.selector', sel, 'invalid label selector'));
    }
  }
  validatePodSpec(s.template.spec, 'spec.template.spec', out);
  const rp = s.template.spec?.restartPolicy;
  if (rp && rp !== 'Always') out.push(cause.notSupported('spec.template.spec.restartPolicy', rp, ['Always']));
  if (old && JSON.stringify(old.spec?.selector) !== JSON.stringify(sel)) {
    out.push(cause.immutable('spec.selector', sel));
  }
}

export const deployments: ResourceDef = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  singular: 'deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  hasStatus: true,
  subresources: sub('Deployment'),
  defaults(o) {
    const s = (o.spec ??= {});
    s.replicas ??= 1;
    s.strategy ??= {};
    s.strategy.type ??= 'RollingUpdate';
    if (s.strategy.type === 'RollingUpdate') {
      s.strategy.rollingUpdate ??= {};
      s.strategy.rollingUpdate.maxUnavailable ??= '25%';
      s.strategy.rollingUpdate.maxSurge ??= '25%';
    }
    s.revisionHistoryLimit ??= 10;
    s.progressDeadlineSeconds ??= 600;
    defaultTemplate(o);
  },
  validate(o, old) {
    const out: StatusCause[] = [];
    validateWorkload(o, old, out);
    const st = o.spec?.strategy;
    if (isObject(st)) {
      if (!['RollingUpdate', 'Recreate'].includes(st.type)) out.push(cause.notSupported('spec.strategy.type', st.type, ['Recreate', 'RollingUpdate']));
      if (st.type === 'Recreate' && st.rollingUpdate) out.push(cause.forbidden('spec.strategy.rollingUpdate', 'may not be specified when strategy `type` is \'Recreate\''));
      if (st.type === 'RollingUpdate' && isObject(st.rollingUpdate)) {
        const surge = intOrPercent(st.rollingUpdate.maxSurge, 100, true);
        const unav = intOrPercent(st.rollingUpdate.maxUnavailable, 100, false);
        if (Number.isNaN(surge)) out.push(cause.invalid('spec.strategy.rollingUpdate.maxSurge', st.rollingUpdate.maxSurge, 'a valid IntOrString percent or integer'));
        if (Number.isNaN(unav)) out.push(cause.invalid('spec.strategy.rollingUpdate.maxUnavailable', st.rollingUpdate.maxUnavailable, 'a valid IntOrString percent or integer'));
        if (surge === 0 && unav === 0) out.push(cause.invalid('spec.strategy.rollingUpdate.maxUnavailable', st.rollingUpdate.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
      }
    }
    return out;
  },
};

export const replicasets: ResourceDef = {
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  plural: 'replicasets',
  singular: 'replicaset',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  hasStatus: true,
  subresources: sub('ReplicaSet'),
  defaults(o) {
    o.spec ??= {};
    o.spec.replicas ??= 1;
    defaultTemplate(o);
  },
  validate(o, old) {
    const out: StatusCause[] = [];
    validateWorkload(o, old, out);
    return out;
  },
};

export const daemonsets: ResourceDef = {
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  plural: 'daemonsets',
  singular: 'daemonset',
  namespaced: true,
  shortNames: ['ds'],
  categories: ['all'],
  hasStatus: true,
  subresources: [{ name: 'status', kind: 'DaemonSet', group: 'apps', version: 'v1', verbs: ['get', 'patch', 'update'] }],
  defaults(o) {
    const s = (o.spec ??= {});
    s.updateStrategy ??= {};
    s.updateStrategy.type ??= 'RollingUpdate';
    if (s.updateStrategy.type === 'RollingUpdate') {
      s.updateStrategy.rollingUpdate ??= {};
      s.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
      s.updateStrategy.rollingUpdate.maxSurge ??= 0;
    }
    s.revisionHistoryLimit ??= 10;
    defaultTemplate(o);
  },
  validate(o, old) {
    const out: StatusCause[] = [];
    validateWorkload(o, old, out);
    return out;
  },
};
