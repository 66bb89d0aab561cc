import type { KObject } from '../../../api-types/index.ts';
import { errors } from '../../store/errors.ts';
import type { Store } from '../../store/store.ts';
import { forbidden } from '../forbidden.ts';
import type { Attributes } from '../request-info.ts';
import { requestUser } from '../request-context.ts';
import { goQuoteList, MASTERS_GROUP, type UserInfo } from '../user.ts';
import type { Authorizer } from './authorizer.ts';
import {
  CLUSTER_ROLE_BINDINGS,
  CLUSTER_ROLES,
  RBAC_GROUP,
  ROLE_BINDINGS,
  ROLES,
  rulesOf,
  type RoleRef,
} from './resolver.ts';
import { compactRule, uncoveredRules, type PolicyRule } from './rules.ts';

function rbacAttrs(verb: string, resource: string, name: string, namespace: string): Attributes {
  return {
    verb,
    isResourceRequest: true,
    path: '',
    apiGroup: RBAC_GROUP,
    apiVersion: 'v1',
    namespace,
    resource,
    subresource: '',
    name,
  };
}

function escalationMessage(user: UserInfo, missing: PolicyRule[]): string {
  return `user ${JSON.stringify(user.name)} (groups=${goQuoteList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${missing.map(compactRule).join('\n')}`;
}

/**
 * Upstream's escalation checks on RBAC writes made through the API: a Role or ClusterRole may only
 * grant what its writer already holds (or the writer has `escalate`); a binding may only bind a role
 * whose rules its writer holds (or the writer has `bind` on it), and a role that does not exist
 * cannot be bound by such a writer. system:masters skips the checks, as upstream.
 */
export function installEscalationChecks(store: Store, authz: Authorizer): void {
  const checkRole = (plural: 'roles' | 'clusterroles') => (obj: KObject) => {
    const user = requestUser();
    if (!user || user.groups.includes(MASTERS_GROUP)) return;
    const ns = obj.metadata.namespace ?? '';
    const name = obj.metadata.name!;
    if (authz.allowed(user, rbacAttrs('escalate', plural, name, ns))) return;
    const missing = uncoveredRules(authz.resolver.rulesFor(user, ns), rulesOf(obj));
    if (missing.length) throw forbidden(RBAC_GROUP, plural, name, escalationMessage(user, missing));
  };
  const checkBinding = (plural: 'rolebindings' | 'clusterrolebindings') => (obj: KObject) => {
    const user = requestUser();
    if (!user || user.groups.includes(MASTERS_GROUP)) return;
    const ns = obj.metadata.namespace ?? '';
    const ref = obj.roleRef as RoleRef;
    const rolePlural = ref.kind === 'Role' ? 'roles' : 'clusterroles';
    if (authz.allowed(user, rbacAttrs('bind', rolePlural, ref.name ?? '', ns))) return;
    const rules = authz.resolver.roleRefRules(ref, ns);
    if (!rules) throw errors.notFound(RBAC_GROUP, rolePlural, ref.name ?? '');
    const missing = uncoveredRules(authz.resolver.rulesFor(user, ns), rules);
    if (missing.length) throw forbidden(RBAC_GROUP, plural, obj.metadata.name!, escalationMessage(user, missing));
  };
  store.admit(ROLES, { create: checkRole('roles'), update: checkRole('roles') });
  store.admit(CLUSTER_ROLES, { create: checkRole('clusterroles'), update: checkRole('clusterroles') });
  store.admit(ROLE_BINDINGS, { create: checkBinding('rolebindings'), update: checkBinding('rolebindings') });
  store.admit(CLUSTER_ROLE_BINDINGS, {
    create: checkBinding('clusterrolebindings'),
    update: checkBinding('clusterrolebindings'),
  });
}
