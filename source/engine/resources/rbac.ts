import type { KObject, StatusCause } from '../../api-types/index.ts';
import { cause, isObject } from './validation.ts';
import type { ResourceDef } from './types.ts';

const GROUP = 'rbac.authorization.k8s.io';

function validateRules(o: KObject, out: StatusCause[]): void {
  if (o.rules === undefined || o.rules === null) return;
  if (!Array.isArray(o.rules)) return void out.push(cause.invalid('rules', o.rules, 'must be a list'));
  o.rules.forEach((r: unknown, i: number) => {
    const f = `rules[${i}]`;
    if (!isObject(r)) return void out.push(cause.invalid(f, r, 'must be an object'));
    if (!Array.isArray(r.verbs) || !r.verbs.length)
      out.push(cause.required(`${f}.verbs`, 'verbs must contain at least one value'));
    const nonResource = Array.isArray(r.nonResourceURLs) && r.nonResourceURLs.length > 0;
    if (nonResource && o.metadata.namespace)
      out.push(
        cause.invalid(`${f}.nonResourceURLs`, r.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs'),
      );
    if (nonResource && (r.apiGroups?.length || r.resources?.length))
      out.push(
        cause.invalid(
          `${f}.nonResourceURLs`,
          r.nonResourceURLs,
          'rules cannot apply to both regular resources and non-resource URLs',
        ),
      );
    if (!nonResource && !(Array.isArray(r.apiGroups) && r.apiGroups.length))
      out.push(cause.required(`${f}.apiGroups`, 'resource rules must supply at least one api group'));
    if (!nonResource && !(Array.isArray(r.resources) && r.resources.length))
      out.push(cause.required(`${f}.resources`, 'resource rules must supply at least one resource'));
  });
}

function validateBinding(o: KObject, old: KObject | undefined, namespaced: boolean): StatusCause[] {
  const out: StatusCause[] = [];
  const ref = o.roleRef;
  if (!isObject(ref)) return [cause.required('roleRef')];
  if (ref.apiGroup !== GROUP) out.push(cause.notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(ref.kind)) out.push(cause.notSupported('roleRef.kind', ref.kind ?? '', kinds));
  if (!ref.name) out.push(cause.required('roleRef.name'));
  if (old && JSON.stringify(old.roleRef) !== JSON.stringify(ref))
    out.push(cause.invalid('roleRef', ref, 'cannot change roleRef'));
  (Array.isArray(o.subjects) ? o.subjects : []).forEach((s: unknown, i: number) => {
    const f = `subjects[${i}]`;
    if (!isObject(s)) return void out.push(cause.invalid(f, s, 'must be an object'));
    if (!s.name) out.push(cause.required(`${f}.name`));
    if (!['User', 'Group', 'ServiceAccount'].includes(s.kind))
      out.push(cause.notSupported(`${f}.kind`, s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
    else if (s.kind === 'ServiceAccount' && !s.namespace && !namespaced) out.push(cause.required(`${f}.namespace`));
  });
  return out;
}

function bindingDefaults(o: KObject): void {
  for (const s of Array.isArray(o.subjects) ? o.subjects : []) {
    if (!isObject(s)) continue;
    if ((s.kind === 'User' || s.kind === 'Group') && s.apiGroup === undefined) s.apiGroup = GROUP;
    if (s.kind === 'ServiceAccount' && s.apiGroup === undefined) s.apiGroup = '';
  }
}

const base = { group: GROUP, version: 'v1', nameFormat: 'path' as const };

export const roles: ResourceDef = {
  ...base,
  kind: 'Role',
  plural: 'roles',
  singular: 'role',
  namespaced: true,
  validate(o) {
    const out: StatusCause[] = [];
    validateRules(o, out);
    return out;
  },
};

export const clusterroles: ResourceDef = {
  ...base,
  kind: 'ClusterRole',
  plural: 'clusterroles',
  singular: 'clusterrole',
  namespaced: false,
  validate(o) {
    const out: StatusCause[] = [];
    validateRules(o, out);
    return out;
  },
};

export const rolebindings: ResourceDef = {
  ...base,
  kind: 'RoleBinding',
  plural: 'rolebindings',
  singular: 'rolebinding',
  namespaced: true,
  defaults: bindingDefaults,
  validate: (o, old) => validateBinding(o, old, true),
};

export const clusterrolebindings: ResourceDef = {
  ...base,
  kind: 'ClusterRoleBinding',
  plural: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  namespaced: false,
  defaults: bindingDefaults,
  validate: (o, old) => validateBinding(o, old, false),
};

/** Create-only kinds the API answers without storing (reviews). */
const review = (group: string, kind: string, plural: string, namespaced = false): ResourceDef => ({
  group,
  version: 'v1',
  kind,
  plural,
  singular: kind.toLowerCase(),
  namespaced,
  verbs: ['create'],
});

export const REVIEW_DEFS: ResourceDef[] = [
  review('authorization.k8s.io', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews'),
  review('authorization.k8s.io', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews'),
  review('authorization.k8s.io', 'SubjectAccessReview', 'subjectaccessreviews'),
  review('authorization.k8s.io', 'LocalSubjectAccessReview', 'localsubjectaccessreviews', true),
  review('authentication.k8s.io', 'SelfSubjectReview', 'selfsubjectreviews'),
  review('authentication.k8s.io', 'TokenReview', 'tokenreviews'),
];

export const RBAC_DEFS: ResourceDef[] = [clusterrolebindings, clusterroles, rolebindings, roles];
