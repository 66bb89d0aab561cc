import type { ApiPath } from '../api/paths.ts';

/** What a request asks to do, in the terms RBAC rules speak (upstream's authorizer.Attributes). */
export interface Attributes {
  verb: string;
  isResourceRequest: boolean;
  path: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

const STREAMING = new Set(['exec', 'attach', 'portforward']);

/** Attributes of a resource request, from its method, parsed path and query (upstream's RequestInfoFactory). */
export function resourceAttributes(method: string, path: ApiPath, query: URLSearchParams, rawPath: string): Attributes {
  let verb: string;
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'HEAD') {
    if (!path.name) verb = isWatch(query) ? 'watch' : 'list';
    else verb = 'get';
  } else if (m === 'POST') verb = 'create';
  else if (m === 'PUT') verb = 'update';
  else if (m === 'PATCH') verb = 'patch';
  else if (m === 'DELETE') verb = path.name ? 'delete' : 'deletecollection';
  else verb = m.toLowerCase();
  // Streaming subresources opened with a WebSocket GET need `create`, as kube-apiserver 1.32
  // checks (AuthorizePodWebsocketUpgradeCreatePermission).
  if (path.subresource && STREAMING.has(path.subresource) && path.resource === 'pods') verb = 'create';
  let name = path.name ?? '';
  // A list or watch narrowed to one name by field selector is authorized as that name.
  if ((verb === 'list' || verb === 'watch') && !name) {
    const fs = query.get('fieldSelector');
    const one = fs?.match(/^metadata\.name==?([^,]+)$/);
    if (one) name = one[1]!;
  }
  return {
    verb,
    isResourceRequest: true,
    path: rawPath,
    apiGroup: path.group,
    apiVersion: path.version,
    namespace: path.namespace ?? '',
    resource: path.resource,
    subresource: path.subresource ?? '',
    name,
  };
}

export function nonResourceAttributes(method: string, rawPath: string): Attributes {
  const m = method.toLowerCase();
  return {
    verb: m === 'head' ? 'get' : m,
    isResourceRequest: false,
    path: rawPath,
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
  };
}

function isWatch(q: URLSearchParams): boolean {
  const v = q.get('watch');
  return v === 'true' || v === '1' || v === 'True' || v === 'TRUE' || v === 't' || v === 'T';
}
