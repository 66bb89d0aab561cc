import type { StatusCause } from '../../api-types/index.ts';
import { defaultPodSpec, validatePodSpec } from './pod-spec.ts';
import type { ResourceDef } from './types.ts';
import { cause, isObject } from './validation.ts';

/** core/v1 ReplicationController: a ReplicaSet with a plain map as its selector. */
export const replicationcontrollers: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'ReplicationController',
  plural: 'replicationcontrollers',
  singular: 'replicationcontroller',
  namespaced: true,
  shortNames: ['rc'],
  categories: ['all'],
  hasStatus: true,
  subresources: [
    { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
    { name: 'status', kind: 'ReplicationController', group: '', version: 'v1', verbs: ['get', 'patch', 'update'] },
  ],
  defaults(o) {
    const s = (o.spec ??= {});
    if (!isObject(s)) return;
    s.replicas ??= 1;
    const labels = s.template?.metadata?.labels;
    if (isObject(labels) && Object.keys(labels).length) {
      if (!isObject(s.selector) || !Object.keys(s.selector).length) s.selector = { ...labels };
      if (!Object.keys(o.metadata.labels ?? {}).length) o.metadata.labels = { ...labels };
    }
    if (isObject(s.template)) {
      s.template.metadata ??= {};
      s.template.metadata.creationTimestamp ??= null;
      defaultPodSpec(s.template.spec);
    }
  },
  validate(o) {
    const out: StatusCause[] = [];
    const s = o.spec;
    if (!isObject(s)) return [cause.required('spec')];
    if (!Number.isInteger(s.replicas) || s.replicas < 0)
      out.push(cause.invalid('spec.replicas', s.replicas, 'must be greater than or equal to 0'));
    const sel = s.selector;
    if (!isObject(sel) || !Object.keys(sel).length) out.push(cause.required('spec.selector'));
    if (!isObject(s.template)) {
      out.push(cause.required('spec.template'));
      return out;
    }
    const labels = s.template.metadata?.labels ?? {};
    if (isObject(sel) && Object.entries(sel).some(([k, v]) => labels[k] !== v)) {
      out.push(cause.invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
    }
    validatePodSpec(s.template.spec, 'spec.template.spec', out);
    const rp = s.template.spec?.restartPolicy;
    if (rp && rp !== 'Always') out.push(cause.notSupported('spec.template.spec.restartPolicy', rp, ['Always']));
    return out;
  },
};

/** core/v1 PodTemplate: a named pod template, nothing runs from it by itself. */
export const podtemplates: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'PodTemplate',
  plural: 'podtemplates',
  singular: 'podtemplate',
  namespaced: true,
  defaults(o) {
    if (!isObject(o.template)) return;
    o.template.metadata ??= {};
    o.template.metadata.creationTimestamp ??= null;
    defaultPodSpec(o.template.spec);
  },
  validate(o) {
    const out: StatusCause[] = [];
    if (!isObject(o.template)) return [cause.required('template')];
    validatePodSpec(o.template.spec, 'template.spec', out);
    return out;
  },
};
