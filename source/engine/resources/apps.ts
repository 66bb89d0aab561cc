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
        out.push(
          cause.invalid('spec.template.metadata.labels', labels ?? {}, '`selector` does not match template `labels`'),
        );
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
      if (!['RollingUpdate', 'Recreate'].includes(st.type))
        out.push(cause.notSupported('spec.strategy.type', st.type, ['Recreate', 'RollingUpdate']));
      if (st.type === 'Recreate' && st.rollingUpdate)
        out.push(
          cause.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"),
        );
      if (st.type === 'RollingUpdate' && isObject(st.rollingUpdate)) {
        const surge = intOrPercent(st.rollingUpdate.maxSurge, 100, true);
        const unav = intOrPercent(st.rollingUpdate.maxUnavailable, 100, false);
        if (Number.isNaN(surge))
          out.push(
            cause.invalid(
              'spec.strategy.rollingUpdate.maxSurge',
              st.rollingUpdate.maxSurge,
              'a valid IntOrString percent or integer',
            ),
          );
        if (Number.isNaN(unav))
          out.push(
            cause.invalid(
              'spec.strategy.rollingUpdate.maxUnavailable',
              st.rollingUpdate.maxUnavailable,
              'a valid IntOrString percent or integer',
            ),
          );
        if (surge === 0 && unav === 0)
          out.push(
            cause.invalid(
              'spec.strategy.rollingUpdate.maxUnavailable',
              st.rollingUpdate.maxUnavailable,
              'may not be 0 when `maxSurge` is 0',
            ),
          );
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
  subresources: [
    { name: 'status', kind: 'DaemonSet', group: 'apps', version: 'v1', verbs: ['get', 'patch', 'update'] },
  ],
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

const STS_MUTABLE = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
];

export const statefulsets: ResourceDef = {
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  plural: 'statefulsets',
  singular: 'statefulset',
  namespaced: true,
  shortNames: ['sts'],
  categories: ['all'],
  hasStatus: true,
  subresources: sub('StatefulSet'),
  defaults(o) {
    const s = (o.spec ??= {});
    s.replicas ??= 1;
    s.podManagementPolicy ??= 'OrderedReady';
    s.updateStrategy ??= {};
    s.updateStrategy.type ??= 'RollingUpdate';
    if (s.updateStrategy.type === 'RollingUpdate') {
      s.updateStrategy.rollingUpdate ??= {};
      s.updateStrategy.rollingUpdate.partition ??= 0;
    }
    s.revisionHistoryLimit ??= 10;
    s.persistentVolumeClaimRetentionPolicy ??= {};
    s.persistentVolumeClaimRetentionPolicy.whenDeleted ??= 'Retain';
    s.persistentVolumeClaimRetentionPolicy.whenScaled ??= 'Retain';
    for (const t of Array.isArray(s.volumeClaimTemplates) ? s.volumeClaimTemplates : []) {
      if (!isObject(t)) continue;
      t.apiVersion ??= 'v1';
      t.kind ??= 'PersistentVolumeClaim';
      t.spec ??= {};
      t.spec.volumeMode ??= 'Filesystem';
      t.status ??= { phase: 'Pending' };
    }
    defaultTemplate(o);
  },
  validate(o, old) {
    const out: StatusCause[] = [];
    validateWorkload(o, old, out);
    const s = o.spec;
    if (!isObject(s)) return out;
    if (!['OrderedReady', 'Parallel'].includes(s.podManagementPolicy))
      out.push(cause.notSupported('spec.podManagementPolicy', s.podManagementPolicy, ['OrderedReady', 'Parallel']));
    validateClaimTemplates(s.volumeClaimTemplates, out);
    const us = s.updateStrategy;
    if (isObject(us)) {
      if (!['RollingUpdate', 'OnDelete'].includes(us.type))
        out.push(cause.notSupported('spec.updateStrategy.type', us.type, ['OnDelete', 'RollingUpdate']));
      if (us.type === 'OnDelete' && us.rollingUpdate)
        out.push(
          cause.invalid(
            'spec.updateStrategy.rollingUpdate',
            us.rollingUpdate,
            "only allowed for updateStrategy 'RollingUpdate'",
          ),
        );
      const ru = us.rollingUpdate;
      if (isObject(ru)) {
        if (ru.partition != null && (!Number.isInteger(ru.partition) || ru.partition < 0))
          out.push(
            cause.invalid(
              'spec.updateStrategy.rollingUpdate.partition',
              ru.partition,
              'must be greater than or equal to 0',
            ),
          );
        if (ru.maxUnavailable != null) {
          const n = intOrPercent(ru.maxUnavailable, 100, false);
          if (Number.isNaN(n))
            out.push(
              cause.invalid(
                'spec.updateStrategy.rollingUpdate.maxUnavailable',
                ru.maxUnavailable,
                'a valid IntOrString percent or integer',
              ),
            );
          else if (n < 1 && typeof ru.maxUnavailable === 'number')
            out.push(
              cause.invalid(
                'spec.updateStrategy.rollingUpdate.maxUnavailable',
                ru.maxUnavailable,
                'must be greater than 0',
              ),
            );
        }
      }
    }
    if (old) {
      const a = { ...old.spec };
      const b = { ...s };
      for (const k of STS_MUTABLE) {
        delete a[k];
        delete b[k];
      }
      if (JSON.stringify(a) !== JSON.stringify(b)) {
        out.push(
          cause.forbidden(
            'spec',
            "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
          ),
        );
      }
    }
    return out;
  },
};

export const controllerrevisions: ResourceDef = {
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  plural: 'controllerrevisions',
  singular: 'controllerrevision',
  namespaced: true,
  validate(o, old) {
    const out: StatusCause[] = [];
    if (typeof o.revision !== 'number' || !Number.isInteger(o.revision) || o.revision < 0)
      out.push(cause.invalid('revision', o.revision, 'must be greater than or equal to 0'));
    if (old && JSON.stringify(old.data) !== JSON.stringify(o.data)) out.push(cause.immutable('data', o.data));
    return out;
  },
};

function validateClaimTemplates(templates: unknown, out: StatusCause[]): void {
  if (templates == null) return;
  if (!Array.isArray(templates)) {
    out.push(cause.invalid('spec.volumeClaimTemplates', templates, 'must be a list'));
    return;
  }
  templates.forEach((t: unknown, i) => {
    const at = `spec.volumeClaimTemplates[${i}]`;
    if (!isObject(t)) return void out.push(cause.invalid(at, t, 'must be an object'));
    if (!t.metadata?.name) out.push(cause.required(`${at}.metadata.name`, 'name or generateName is required'));
    if (!Array.isArray(t.spec?.accessModes) || t.spec.accessModes.length === 0)
      out.push(cause.required(`${at}.spec.accessModes`, 'at least 1 access mode is required'));
    if (t.spec?.resources?.requests?.storage == null) out.push(cause.required(`${at}.spec.resources[storage]`, ''));
  });
}
