import { describe, expect, it } from 'vitest';
import { compactRule, ruleAllows, uncoveredRules, type PolicyRule } from '../../../source/engine/auth/rbac/rules.ts';
import { resourceAttributes } from '../../../source/engine/auth/request-info.ts';
import { parseApiPath } from '../../../source/engine/api/paths.ts';

const attrs = (method: string, url: string) => {
  const u = new URL(url, 'https://x');
  return resourceAttributes(method, parseApiPath(u.pathname)!, u.searchParams, u.pathname);
};

describe('request attributes', () => {
  it('derive verbs as upstream: list/watch/get, deletecollection, create for streaming subresources', () => {
    expect(attrs('GET', '/api/v1/namespaces/a/pods')).toMatchObject({
      verb: 'list',
      namespace: 'a',
      resource: 'pods',
      name: '',
    });
    expect(attrs('GET', '/api/v1/namespaces/a/pods?watch=true')).toMatchObject({ verb: 'watch' });
    expect(attrs('GET', '/api/v1/namespaces/a/pods?watch=1&fieldSelector=metadata.name%3Dweb')).toMatchObject({
      verb: 'watch',
      name: 'web',
    });
    expect(attrs('DELETE', '/api/v1/namespaces/a/pods')).toMatchObject({ verb: 'deletecollection' });
    expect(attrs('GET', '/api/v1/namespaces/a/pods/web/exec')).toMatchObject({
      verb: 'create',
      subresource: 'exec',
      name: 'web',
    });
    expect(attrs('GET', '/api/v1/namespaces/a/pods/web/log')).toMatchObject({ verb: 'get', subresource: 'log' });
    expect(attrs('PATCH', '/apis/apps/v1/namespaces/a/deployments/d/scale')).toMatchObject({
      verb: 'patch',
      apiGroup: 'apps',
      subresource: 'scale',
    });
  });
});

describe('rules', () => {
  const view: PolicyRule = { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] };
  it('match verb, group, resource/subresource and names', () => {
    expect(ruleAllows(attrs('GET', '/api/v1/namespaces/a/pods'), view)).toBe(true);
    expect(ruleAllows(attrs('GET', '/api/v1/namespaces/a/pods/x/log'), view)).toBe(true);
    expect(ruleAllows(attrs('GET', '/api/v1/namespaces/a/pods/x/status'), view)).toBe(false);
    expect(ruleAllows(attrs('DELETE', '/api/v1/namespaces/a/pods/x'), view)).toBe(false);
    expect(
      ruleAllows(attrs('GET', '/api/v1/namespaces/a/pods/x/status'), {
        apiGroups: ['*'],
        resources: ['*/status'],
        verbs: ['get'],
      }),
    ).toBe(true);
    const named: PolicyRule = {
      apiGroups: [''],
      resources: ['configmaps'],
      resourceNames: ['one'],
      verbs: ['get', 'list'],
    };
    expect(ruleAllows(attrs('GET', '/api/v1/namespaces/a/configmaps/one'), named)).toBe(true);
    expect(ruleAllows(attrs('GET', '/api/v1/namespaces/a/configmaps/two'), named)).toBe(false);
    expect(ruleAllows(attrs('GET', '/api/v1/namespaces/a/configmaps'), named)).toBe(false);
  });

  it('find what a grant would escalate, broken down as upstream prints it', () => {
    const wanted: PolicyRule[] = [{ apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['get', 'delete'] }];
    const missing = uncoveredRules([view], wanted);
    expect(missing.map(compactRule)).toEqual([
      '{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}',
      '{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}',
      '{APIGroups:[""], Resources:["secrets"], Verbs:["delete"]}',
    ]);
    expect(uncoveredRules([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }], wanted)).toEqual([]);
  });
});
