import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../source/engine/clock.ts';
import { Authorizer } from '../../../source/engine/auth/rbac/authorizer.ts';
import { CLUSTER_ROLES, ROLE_BINDINGS } from '../../../source/engine/auth/rbac/resolver.ts';
import { resourceAttributes } from '../../../source/engine/auth/request-info.ts';
import { parseApiPath } from '../../../source/engine/api/paths.ts';
import { createRegistry } from '../../../source/engine/resources/index.ts';
import { Store } from '../../../source/engine/store/store.ts';

const attrs = (method: string, url: string) => {
  const u = new URL(url, 'https://x');
  return resourceAttributes(method, parseApiPath(u.pathname)!, u.searchParams, u.pathname);
};

describe('the authorizer’s decision cache', () => {
  it('answers repeated requests the same and forgets on every Role, ClusterRole or binding change', () => {
    const store = new Store(createRegistry(), new FakeClock());
    for (const ns of ['a', 'b']) store.create('namespaces', { metadata: { name: ns } });
    const authz = new Authorizer(store);
    const alice = { name: 'alice', groups: ['system:authenticated'] };
    const list = attrs('GET', '/api/v1/namespaces/a/pods');
    expect(authz.allowed(alice, list)).toBe(false);
    expect(authz.allowed(alice, list)).toBe(false);

    // A binding to a role that does not exist yet grants nothing, then the role appears.
    store.create(ROLE_BINDINGS, {
      metadata: { name: 'r', namespace: 'a' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'reader' },
      subjects: [{ kind: 'User', name: 'alice' }],
    });
    expect(authz.allowed(alice, list)).toBe(false);
    const role = store.create(CLUSTER_ROLES, {
      metadata: { name: 'reader' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }],
    });
    expect(authz.allowed(alice, list)).toBe(true);
    // Same verb and resource in another namespace, another verb, another user, another group set: decided apart.
    expect(authz.allowed(alice, attrs('GET', '/api/v1/namespaces/b/pods'))).toBe(false);
    expect(authz.allowed(alice, attrs('DELETE', '/api/v1/namespaces/a/pods/x'))).toBe(false);
    expect(authz.allowed({ name: 'bob', groups: ['system:authenticated'] }, list)).toBe(false);
    expect(authz.allowed({ name: 'alice', groups: ['system:authenticated', 'x'] }, list)).toBe(true);

    // Narrowing the role revokes at once.
    store.update(CLUSTER_ROLES, {
      ...structuredClone(role),
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    });
    expect(authz.allowed(alice, list)).toBe(false);
    expect(authz.allowed(alice, attrs('GET', '/api/v1/namespaces/a/pods/x'))).toBe(true);
    store.delete(ROLE_BINDINGS, 'a', 'r');
    expect(authz.allowed(alice, attrs('GET', '/api/v1/namespaces/a/pods/x'))).toBe(false);
  });
});
