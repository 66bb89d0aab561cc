import { installLimitRanger } from '../admission/limit-range.ts';
import { installResourceQuota, watchQuotaUsage } from '../admission/resource-quota.ts';
import { installServiceAccountAdmission } from '../admission/service-account.ts';
import type { Clock } from '../clock.ts';
import { watchServiceAccounts } from '../controllers/serviceaccounts.ts';
import type { Store } from '../store/store.ts';
import { Authenticator } from './authenticate.ts';
import { watchAggregation, reconcileAggregation } from './rbac/aggregation.ts';
import { Authorizer } from './rbac/authorizer.ts';
import { ensureBootstrapPolicy } from './rbac/bootstrap-policy.ts';
import { installEscalationChecks } from './rbac/escalation.ts';
import type { PolicyRule } from './rbac/rules.ts';
import type { Attributes } from './request-info.ts';
import { ensureSigningKeys } from './sa-keys.ts';
import { TokenIssuer } from './tokens.ts';
import type { UserInfo } from './user.ts';

/** RBAC (the default) or AlwaysAllow (every authenticated request may do anything; for comparison). */
export type AuthorizationMode = 'RBAC' | 'AlwaysAllow';

/** The API server's authentication and authorization, as the request path and the kubelet use them. */
export interface AuthContext {
  mode: AuthorizationMode;
  issuer: TokenIssuer;
  authenticator: Authenticator;
  authorizer: Authorizer;
  authorize(user: UserInfo, a: Attributes): boolean;
  rulesFor(user: UserInfo, namespace: string): PolicyRule[];
}

export function authorizationModeFrom(env: string | undefined): AuthorizationMode {
  if (env === undefined || env === '' || env === 'RBAC') return 'RBAC';
  if (env === 'AlwaysAllow') return 'AlwaysAllow';
  throw new Error(`unknown authorization mode ${JSON.stringify(env)} (RBAC or AlwaysAllow)`);
}

/**
 * Set up tokens, authentication, RBAC and the admission and controllers that belong to them:
 * the default roles and bindings, ClusterRole aggregation, escalation checks on RBAC writes,
 * ServiceAccount admission on pods, a `default` ServiceAccount and `kube-root-ca.crt` per namespace.
 */
export async function setupAuth(opts: {
  store: Store;
  clock: Clock;
  home: string;
  adminToken: string;
  caCert: string;
  mode: AuthorizationMode;
}): Promise<AuthContext> {
  const { store, clock, mode } = opts;
  const issuer = new TokenIssuer(await ensureSigningKeys(opts.home), clock);
  const authenticator = new Authenticator(store, clock, opts.adminToken, issuer);
  const authorizer = new Authorizer(store);
  ensureBootstrapPolicy(store);
  reconcileAggregation(store);
  watchAggregation(store);
  if (mode === 'RBAC') installEscalationChecks(store, authorizer);
  installServiceAccountAdmission(store);
  // Mutating before validating admission, as upstream orders them.
  installLimitRanger(store);
  installResourceQuota(store);
  watchQuotaUsage(store);
  watchServiceAccounts(store, opts.caCert);
  return {
    mode,
    issuer,
    authenticator,
    authorizer,
    authorize: mode === 'RBAC' ? (user, a) => authorizer.allowed(user, a) : () => true,
    rulesFor: (user, ns) => authorizer.resolver.rulesFor(user, ns),
  };
}
