import type { Kind, KObject } from '../../../api-types/index.ts';
import type { Store } from '../../store/store.ts';
import { serviceAccountUsername, type UserInfo } from '../user.ts';
import type { PolicyRule } from './rules.ts';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const ROLES = `roles.${RBAC_GROUP}`;
export const CLUSTER_ROLES = `clusterroles.${RBAC_GROUP}`;
export const ROLE_BINDINGS = `rolebindings.${RBAC_GROUP}`;
export const CLUSTER_ROLE_BINDINGS = `clusterrolebindings.${RBAC_GROUP}`;
/** The objects whose change can change what anyone may do. */
export const RBAC_OBJECTS = [ROLES, CLUSTER_ROLES, ROLE_BINDINGS, CLUSTER_ROLE_BINDINGS];

interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}

export interface RoleRef {
  kind?: string;
  name?: string;
  apiGroup?: string;
}

/** A RoleBinding or ClusterRoleBinding: the fields the resolver reads. */
type Binding = Kind<{ subjects?: Subject[]; roleRef?: RoleRef }>;

function appliesTo(user: UserInfo, s: Subject, bindingNs: string): boolean {
  if (!s?.name) return false;
  if (s.kind === 'User') return user.name === s.name;
  if (s.kind === 'Group') return user.groups.includes(s.name);
  if (s.kind === 'ServiceAccount') return user.name === serviceAccountUsername(s.namespace || bindingNs, s.name);
  return false;
}

const MAX_CACHED = 2000;

/**
 * The rules a user holds, from the bindings in the store (upstream's DefaultRuleResolver), cached
 * per user and namespace until any Role, ClusterRole or binding changes.
 */
export class RuleResolver {
  private cache = new Map<string, PolicyRule[]>();

  constructor(private readonly store: Store) {
    for (const r of RBAC_OBJECTS) store.watch(r, {}, () => this.cache.clear());
  }

  /** The rules of a roleRef seen from a namespace; undefined when the role does not exist. */
  roleRefRules(ref: RoleRef, namespace: string): PolicyRule[] | undefined {
    if (!ref?.name) return undefined;
    const role =
      ref.kind === 'ClusterRole'
        ? this.store.get(CLUSTER_ROLES, undefined, ref.name)
        : ref.kind === 'Role' && namespace
          ? this.store.get(ROLES, namespace, ref.name)
          : undefined;
    return role ? rulesOf(role) : undefined;
  }

  private bindings(resource: string, namespace?: string): Binding[] {
    return this.store.list(resource, namespace ? { namespace } : {}).items;
  }

  /** Cluster-wide rules plus, with a namespace, that namespace's. */
  rulesFor(user: UserInfo, namespace: string): PolicyRule[] {
    const key = `${user.name}\0${user.groups.join('\0')}\0${namespace}`;
    let rules = this.cache.get(key);
    if (rules) return rules;
    rules = [];
    for (const b of this.bindings(CLUSTER_ROLE_BINDINGS)) {
      if (!(b.subjects ?? []).some((s) => appliesTo(user, s, ''))) continue;
      if (b.roleRef?.kind !== 'ClusterRole') continue;
      rules.push(...(this.roleRefRules(b.roleRef, '') ?? []));
    }
    if (namespace) {
      for (const b of this.bindings(ROLE_BINDINGS, namespace)) {
        if (!(b.subjects ?? []).some((s) => appliesTo(user, s, namespace))) continue;
        if (!b.roleRef) continue;
        rules.push(...(this.roleRefRules(b.roleRef, namespace) ?? []));
      }
    }
    if (this.cache.size > MAX_CACHED) this.cache.clear();
    this.cache.set(key, rules);
    return rules;
  }
}

export function rulesOf(role: KObject): PolicyRule[] {
  return Array.isArray(role.rules) ? (role.rules as PolicyRule[]).filter((r) => r && Array.isArray(r.verbs)) : [];
}
