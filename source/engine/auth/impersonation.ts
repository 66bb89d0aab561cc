import type { IncomingMessage } from 'node:http';
import { errors } from '../store/errors.ts';
import { requestForbidden } from './forbidden.ts';
import type { Attributes } from './request-info.ts';
import { AUTHENTICATED_GROUP, parseServiceAccountUsername, serviceAccountGroups, type UserInfo } from './user.ts';

const header = (req: IncomingMessage, name: string): string[] => {
  const v = req.headers[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
};

function impersonate(resource: string, name: string, extra: Partial<Attributes> = {}): Attributes {
  return {
    verb: 'impersonate',
    isResourceRequest: true,
    path: '',
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource,
    subresource: '',
    name,
    ...extra,
  };
}

/**
 * Impersonate-User / -Group / -Uid / -Extra-* headers (kubectl --as, --as-group): each needs the
 * `impersonate` verb on users, serviceaccounts, groups, uids or userextras, as upstream's filter.
 * Returns the user to act as (or the requester when nothing is impersonated).
 */
export function impersonatedUser(
  req: IncomingMessage,
  requester: UserInfo,
  authorize: (user: UserInfo, a: Attributes) => boolean,
): UserInfo {
  const userName = header(req, 'impersonate-user')[0];
  const groups = header(req, 'impersonate-group');
  const uid = header(req, 'impersonate-uid')[0];
  const extra: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (!k.startsWith('impersonate-extra-') || v === undefined) continue;
    extra[decodeURIComponent(k.slice('impersonate-extra-'.length))] = (Array.isArray(v) ? v : [v]).flatMap((s) =>
      s.split(','),
    );
  }
  if (!userName) {
    if (groups.length || uid || Object.keys(extra).length)
      throw errors.badRequest(
        'requested impersonation of groups, uid or extra without impersonating a user (Impersonate-User)',
      );
    return requester;
  }
  const checks: Attributes[] = [];
  const sa = parseServiceAccountUsername(userName);
  if (sa) checks.push(impersonate('serviceaccounts', sa[1], { namespace: sa[0] }));
  else checks.push(impersonate('users', userName));
  for (const g of groups) checks.push(impersonate('groups', g));
  if (uid) checks.push(impersonate('uids', uid, { apiGroup: 'authentication.k8s.io' }));
  for (const [k, vs] of Object.entries(extra))
    for (const v of vs)
      checks.push(impersonate('userextras', v, { apiGroup: 'authentication.k8s.io', subresource: k }));
  for (const a of checks) if (!authorize(requester, a)) throw requestForbidden(requester, a);
  const all = [...groups];
  if (sa) for (const g of serviceAccountGroups(sa[0])) if (!all.includes(g)) all.push(g);
  if (userName !== 'system:anonymous' && !all.includes(AUTHENTICATED_GROUP)) all.push(AUTHENTICATED_GROUP);
  return { name: userName, uid, groups: all, extra };
}
