import type { KObject } from '../../api-types/index.ts';
import type { AuthContext } from '../auth/index.ts';
import type { Attributes } from '../auth/request-info.ts';
import type { PolicyRule } from '../auth/rbac/rules.ts';
import type { UserInfo } from '../auth/user.ts';
import { errors } from '../store/errors.ts';
import { sendJson } from './respond.ts';
import { checkIdentity, readObject } from './rest.ts';
import type { RestRequest } from './types.ts';

interface ReviewSpec {
  resourceAttributes?: {
    namespace?: string;
    verb?: string;
    group?: string;
    version?: string;
    resource?: string;
    subresource?: string;
    name?: string;
  };
  nonResourceAttributes?: { path?: string; verb?: string };
  user?: string;
  groups?: string[];
  uid?: string;
  extra?: Record<string, string[]>;
  namespace?: string;
  token?: string;
  audiences?: string[];
}

function attributesOf(spec: ReviewSpec, kind: string): Attributes {
  const ra = spec.resourceAttributes;
  const nra = spec.nonResourceAttributes;
  if (ra && nra)
    throw errors.invalid('authorization.k8s.io', kind, '', [
      {
        reason: 'FieldValueInvalid',
        field: 'spec.nonResourceAttributes',
        message: 'Invalid value: "": cannot be specified in combination with resourceAttributes',
      },
    ]);
  if (ra) {
    return {
      verb: ra.verb ?? '',
      isResourceRequest: true,
      path: '',
      apiGroup: ra.group ?? '',
      apiVersion: ra.version ?? '',
      namespace: ra.namespace ?? '',
      resource: ra.resource ?? '',
      subresource: ra.subresource ?? '',
      name: ra.name ?? '',
    };
  }
  if (nra)
    return {
      verb: nra.verb ?? '',
      isResourceRequest: false,
      path: nra.path ?? '',
      apiGroup: '',
      apiVersion: '',
      namespace: '',
      resource: '',
      subresource: '',
      name: '',
    };
  throw errors.invalid('authorization.k8s.io', kind, '', [
    {
      reason: 'FieldValueRequired',
      field: 'spec.resourceAttributes',
      message: 'Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified',
    },
  ]);
}

function answer(r: RestRequest, body: KObject, status: Record<string, unknown>): void {
  sendJson(r.res, 201, {
    kind: body.kind ?? r.def.kind,
    apiVersion: body.apiVersion ?? `${r.def.group}/v1`,
    metadata: { ...(body.metadata ?? {}), creationTimestamp: null },
    spec: body.spec ?? {},
    status,
  });
}

function access(auth: AuthContext, user: UserInfo, a: Attributes): { allowed: boolean; reason?: string } {
  const allowed = auth.authorize(user, a);
  return allowed ? { allowed, reason: auth.mode === 'RBAC' ? 'RBAC: allowed' : 'AlwaysAllow' } : { allowed };
}

function rulesReview(rules: PolicyRule[]) {
  const resourceRules = [];
  const nonResourceRules = [];
  for (const r of rules) {
    if (r.nonResourceURLs?.length) nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs });
    else
      resourceRules.push({
        verbs: r.verbs,
        apiGroups: r.apiGroups ?? [],
        resources: r.resources ?? [],
        ...(r.resourceNames?.length ? { resourceNames: r.resourceNames } : {}),
      });
  }
  return { resourceRules, nonResourceRules, incomplete: false };
}

/**
 * The review kinds, answered and never stored: SelfSubjectAccessReview, LocalSubjectAccessReview,
 * SubjectAccessReview, SelfSubjectRulesReview (authorization.k8s.io), SelfSubjectReview and
 * TokenReview (authentication.k8s.io).
 */
export async function handleReview(r: RestRequest, auth: AuthContext, user: UserInfo): Promise<void> {
  if (r.req.method !== 'POST') throw errors.methodNotAllowed();
  const body = await readObject(r);
  checkIdentity(r, body);
  const spec = (body.spec ?? {}) as ReviewSpec;
  switch (r.def.kind) {
    case 'SelfSubjectAccessReview':
      return answer(r, body, access(auth, user, attributesOf(spec, r.def.kind)));
    case 'LocalSubjectAccessReview':
    case 'SubjectAccessReview': {
      const a = attributesOf(spec, r.def.kind);
      if (r.def.kind === 'LocalSubjectAccessReview' && a.namespace !== r.path.namespace) {
        throw errors.badRequest(`spec.resourceAttributes.namespace must match namespace: ${r.path.namespace}`);
      }
      if (!spec.user && !spec.groups?.length)
        throw errors.invalid('authorization.k8s.io', r.def.kind, '', [
          {
            reason: 'FieldValueInvalid',
            field: 'spec.user',
            message: 'Invalid value: "": at least one of user or group must be specified',
          },
        ]);
      const subject: UserInfo = { name: spec.user ?? '', uid: spec.uid, groups: spec.groups ?? [], extra: spec.extra };
      return answer(r, body, access(auth, subject, a));
    }
    case 'SelfSubjectRulesReview':
      return answer(r, body, rulesReview(auth.rulesFor(user, spec.namespace ?? '')));
    case 'SelfSubjectReview':
      return answer(r, body, {
        userInfo: {
          username: user.name,
          ...(user.uid ? { uid: user.uid } : {}),
          groups: user.groups,
          ...(user.extra && Object.keys(user.extra).length ? { extra: user.extra } : {}),
        },
      });
    case 'TokenReview': {
      if (!spec.token)
        throw errors.invalid('authentication.k8s.io', 'TokenReview', '', [
          { reason: 'FieldValueRequired', field: 'spec.token', message: 'Required value: token must not be empty' },
        ]);
      try {
        const who = await auth.authenticator.review(spec.token, spec.audiences);
        return answer(r, body, {
          authenticated: true,
          user: { username: who.name, uid: who.uid, groups: who.groups, extra: who.extra },
          audiences: spec.audiences?.length ? spec.audiences : undefined,
        });
      } catch (e) {
        return answer(r, body, { authenticated: false, user: {}, error: (e as Error).message });
      }
    }
  }
  throw errors.notFound(r.def.group, r.def.plural, '');
}
