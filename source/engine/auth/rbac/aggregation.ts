import type { ClusterRole } from 'kubernetes-types/rbac/v1.d.ts';
import type { Kind, KObject } from '../../../api-types/index.ts';
import { jsonEqual } from '../../store/freeze.ts';
import { labelSelectorString } from '../../../api-types/label-selector.ts';
import type { Store } from '../../store/store.ts';
import { CLUSTER_ROLES, rulesOf } from './resolver.ts';
import type { PolicyRule } from './rules.ts';

/** The rules an aggregated ClusterRole should hold: those of every ClusterRole its selectors pick. */
function aggregatedRules(store: Store, role: Kind<ClusterRole>): PolicyRule[] {
  const picked = new Map<string, KObject>();
  for (const sel of role.aggregationRule?.clusterRoleSelectors ?? []) {
    const labelSelector = labelSelectorString(sel);
    if (!labelSelector) continue;
    for (const o of store.list(CLUSTER_ROLES, { labelSelector }).items)
      if (o.metadata.name !== role.metadata.name) picked.set(o.metadata.name!, o);
  }
  const rules: PolicyRule[] = [];
  for (const name of [...picked.keys()].sort()) {
    for (const rule of rulesOf(picked.get(name)!)) if (!rules.some((have) => jsonEqual(have, rule))) rules.push(rule);
  }
  return rules;
}

/** Fill every aggregated ClusterRole's rules from the roles it selects (upstream's clusterrole-aggregation controller). */
export function reconcileAggregation(store: Store): void {
  for (const role of store.list(CLUSTER_ROLES).items) {
    if (!role.aggregationRule) continue;
    const rules = aggregatedRules(store, role);
    if (jsonEqual(rules, role.rules ?? [])) continue;
    try {
      store.update(CLUSTER_ROLES, { ...structuredClone(role), rules });
    } catch {
      // A concurrent change triggers another pass.
    }
  }
}

/** Keep aggregated roles current as ClusterRoles come and go. */
export function watchAggregation(store: Store): { stop(): void } {
  let busy = false;
  return store.watch(CLUSTER_ROLES, {}, () => {
    if (busy) return;
    busy = true;
    try {
      reconcileAggregation(store);
    } finally {
      busy = false;
    }
  });
}
