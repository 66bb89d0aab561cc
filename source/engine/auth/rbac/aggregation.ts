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
  const seen = new Set<string>();
  for (const name of [...picked.keys()].sort()) {
    for (const rule of rulesOf(picked.get(name)!)) {
      const key = canonicalJson(rule);
      if (seen.has(key)) continue;
      seen.add(key);
      rules.push(rule);
    }
  }
  return rules;
}

/** JSON with object keys sorted and undefined members left out: equal for values `jsonEqual` calls equal. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
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

/** Keep aggregated roles current as ClusterRoles come and go (from now on: reconcile first). */
export function watchAggregation(store: Store): { stop(): void } {
  let busy = false;
  // From the current resourceVersion: a watch from none replays every role as ADDED, a full pass each.
  return store.watch(CLUSTER_ROLES, { resourceVersion: String(store.currentRV()) }, () => {
    if (busy) return;
    busy = true;
    try {
      reconcileAggregation(store);
    } finally {
      busy = false;
    }
  });
}
