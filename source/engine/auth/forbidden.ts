import { ApiError } from '../store/errors.ts';
import type { Attributes } from './request-info.ts';
import type { UserInfo } from './user.ts';

/** Upstream's forbiddenMessage: what the user may not do, in kube-apiserver's words. */
export function forbiddenMessage(user: UserInfo, a: Attributes): string {
  if (!a.isResourceRequest) return `User ${JSON.stringify(user.name)} cannot ${a.verb} path ${JSON.stringify(a.path)}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const where = a.namespace ? `in the namespace ${JSON.stringify(a.namespace)}` : 'at the cluster scope';
  return `User ${JSON.stringify(user.name)} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.apiGroup)} ${where}`;
}

/** A 403 as upstream's NewForbidden: `pods "x" is forbidden: …` or `forbidden: …` for paths. */
export function forbidden(group: string, resource: string, name: string, message: string): ApiError {
  if (!resource)
    return new ApiError(403, 'Forbidden', `forbidden: ${message}`, { name: '', group: undefined, kind: '' });
  const qualified = group ? `${resource}.${group}` : resource;
  const head = name ? `${qualified} ${JSON.stringify(name)}` : qualified;
  return new ApiError(403, 'Forbidden', `${head} is forbidden: ${message}`, {
    name: name || undefined,
    group: group || undefined,
    kind: resource,
  });
}

/**
 * The name admission errors use: upstream admits before a generated name is picked, so errors
 * for a `generateName` object name the prefix (`pods "web-7c5d-" is forbidden`).
 */
export function admissionName(meta: { name?: string; generateName?: string }): string {
  const g = meta.generateName;
  if (g && meta.name?.startsWith(g) && meta.name.length === g.length + 5) return g;
  return meta.name ?? '';
}

export function requestForbidden(user: UserInfo, a: Attributes): ApiError {
  return forbidden(a.isResourceRequest ? a.apiGroup : '', a.resource, a.name, forbiddenMessage(user, a));
}
