/** A parsed Kubernetes API path. */
export interface ApiPath {
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
}

const SEGMENT = /^[A-Za-z0-9._:-]+$/;

/**
 * Whether a raw request path (before URL parsing, which would resolve `..`, `%2e%2e`, backslashes
 * and `//host`) is plain: absolute, no empty, `.` or `..` segments (a trailing slash is fine).
 */
export function isCleanPath(raw: string): boolean {
  if (!raw.startsWith('/') || raw.includes('\\')) return false;
  const segs = raw.split('/').slice(1);
  return segs.every((s, i) => (s !== '' || i === segs.length - 1) && !/^(\.|%2e){1,2}$/i.test(s));
}

/**
 * Parse `/api/v1/...` and `/apis/<group>/<version>/...` resource paths. Returns undefined for
 * anything else (discovery, health, unknown). `/api/v1/namespaces/x` is the namespace `x`,
 * `/api/v1/namespaces/x/pods` a pod collection in it.
 */
export function parseApiPath(pathname: string): ApiPath | undefined {
  const parts = pathname.split('/').filter((p) => p.length > 0);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else return undefined;
  let decoded: string[];
  try {
    decoded = rest.map((p) => decodeURIComponent(p));
  } catch {
    return undefined;
  }
  if (decoded.some((p) => !SEGMENT.test(p) || p === '.' || p === '..')) return undefined;
  if (decoded[0] === 'namespaces' && decoded.length >= 3) {
    const [, namespace, resource, name, subresource, ...extra] = decoded;
    if (extra.length) return undefined;
    return { group, version, namespace, resource: resource!, name, subresource };
  }
  const [resource, name, subresource, ...extra] = decoded;
  if (extra.length) return undefined;
  return { group, version, resource: resource!, name, subresource };
}
