/** One kind of resource the server serves, as discovery describes it (preferred version). */
export interface ResourceInfo {
  group: string; // '' for core
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  verbs: string[];
  categories: string[];
  subresources: string[];
}

/** `pods`, `deployments.apps`: how skiff names a resource everywhere. */
export function resourceId(r: Pick<ResourceInfo, 'plural' | 'group'>): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

export function apiVersion(r: Pick<ResourceInfo, 'group' | 'version'>): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** The REST path of a collection or an object; `namespace` is ignored for cluster-scoped kinds. */
export function resourcePath(
  r: Pick<ResourceInfo, 'group' | 'version' | 'plural' | 'namespaced'>,
  namespace?: string,
  name?: string,
  subresource?: string,
): string {
  let p = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  if (r.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${r.plural}`;
  if (name) p += `/${encodeURIComponent(name)}`;
  if (name && subresource) p += `/${subresource}`;
  return p;
}

export function canList(r: ResourceInfo): boolean {
  return r.verbs.includes('list');
}
