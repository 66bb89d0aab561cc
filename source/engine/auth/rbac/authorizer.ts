import type { Store } from '../../store/store.ts';
import type { Attributes } from '../request-info.ts';
import { MASTERS_GROUP, type UserInfo } from '../user.ts';
import { RBAC_OBJECTS, RuleResolver } from './resolver.ts';
import { ruleAllows } from './rules.ts';

const MAX_DECISIONS = 10_000;

/** The parts of a request RBAC decides on; the path only counts for non-resource URLs. */
function decisionKey(user: UserInfo, a: Attributes): string {
  const who = `${user.name}\0${user.groups.join('\x01')}`;
  return a.isResourceRequest
    ? `${who}\0${a.verb}\0${a.apiGroup}\0${a.resource}\0${a.subresource}\0${a.namespace}\0${a.name}`
    : `${who}\0${a.verb}\0\0${a.path}`;
}

/**
 * The engine's authorizer: members of system:masters may do anything (upstream's privileged-group
 * authorizer, checked first), everyone else what their RBAC bindings allow. Decisions are cached
 * per user, groups and attributes until any Role, ClusterRole or binding changes, so a client
 * repeating the same LIST or watch pays one map lookup.
 */
export class Authorizer {
  readonly resolver: RuleResolver;
  private decisions = new Map<string, boolean>();

  constructor(store: Store) {
    this.resolver = new RuleResolver(store);
    for (const r of RBAC_OBJECTS) store.watch(r, {}, () => this.decisions.clear());
  }

  allowed(user: UserInfo, a: Attributes): boolean {
    if (user.groups.includes(MASTERS_GROUP)) return true;
    const key = decisionKey(user, a);
    let ok = this.decisions.get(key);
    if (ok === undefined) {
      ok = this.resolver.rulesFor(user, a.namespace).some((r) => ruleAllows(a, r));
      if (this.decisions.size >= MAX_DECISIONS) this.decisions.clear();
      this.decisions.set(key, ok);
    }
    return ok;
  }
}
