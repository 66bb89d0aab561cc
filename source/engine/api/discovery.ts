import type { Registry } from '../store/registry.ts';
import { DEFAULT_VERBS, type ResourceDef } from '../resources/types.ts';

export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
export const AGGREGATED_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

/** Which aggregated discovery version the client asked for, if any. */
export function wantsAggregated(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  if (!accept || !accept.includes('as=APIGroupDiscoveryList')) return undefined;
  for (const part of accept.split(',')) {
    if (!part.includes('as=APIGroupDiscoveryList')) continue;
    if (part.includes('v=v2beta1')) return 'v2beta1';
    if (part.includes('v=v2')) return 'v2';
  }
  return undefined;
}

function groups(registry: Registry): Map<string, ResourceDef[]> {
  const m = new Map<string, ResourceDef[]>();
  for (const d of registry.all()) {
    const list = m.get(d.group) ?? [];
    list.push(d);
    m.set(d.group, list);
  }
  return m;
}

function aggregatedResource(d: ResourceDef) {
  return {
    resource: d.plural,
    responseKind: { group: d.group, version: d.version, kind: d.kind },
    scope: d.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: d.singular,
    verbs: d.verbs ?? DEFAULT_VERBS,
    ...(d.shortNames ? { shortNames: d.shortNames } : {}),
    ...(d.categories ? { categories: d.categories } : {}),
    ...(d.subresources?.length
      ? {
          subresources: d.subresources.map((s) => ({
            subresource: s.name,
            ...(s.kind ? { responseKind: { group: s.group ?? d.group, version: s.version ?? d.version, kind: s.kind } } : {}),
            verbs: s.verbs,
          })),
        }
      : {}),
  };
}

/** `/api` (core) or `/apis` (named groups) as an APIGroupDiscoveryList. */
export function aggregated(registry: Registry, core: boolean, version: 'v2' | 'v2beta1') {
  const items = [];
  for (const [group, defs] of groups(registry)) {
    if ((group === '') !== core) continue;
    items.push({
      metadata: { name: group, creationTimestamp: null },
      versions: [{ version: defs[0]!.version, resources: defs.map(aggregatedResource), freshness: 'Current' }],
    });
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

export function legacyApiVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export function legacyGroupList(registry: Registry) {
  const out = [];
  for (const [group, defs] of groups(registry)) {
    if (group === '') continue;
    const gv = { groupVersion: `${group}/${defs[0]!.version}`, version: defs[0]!.version };
    out.push({ name: group, versions: [gv], preferredVersion: gv });
  }
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: out };
}

export function legacyGroup(registry: Registry, group: string) {
  const defs = groups(registry).get(group);
  if (!defs) return undefined;
  const gv = { groupVersion: `${group}/${defs[0]!.version}`, version: defs[0]!.version };
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions: [gv], preferredVersion: gv };
}

export function resourceList(registry: Registry, group: string, version: string) {
  const defs = groups(registry).get(group)?.filter((d) => d.version === version);
  if (!defs?.length) return undefined;
  const resources = [];
  for (const d of defs) {
    resources.push({
      name: d.plural,
      singularName: d.singular,
      namespaced: d.namespaced,
      kind: d.kind,
      verbs: d.verbs ?? DEFAULT_VERBS,
      ...(d.shortNames ? { shortNames: d.shortNames } : {}),
      ...(d.categories ? { categories: d.categories } : {}),
    });
    for (const s of d.subresources ?? []) {
      resources.push({
        name: `${d.plural}/${s.name}`,
        singularName: '',
        namespaced: d.namespaced,
        ...(s.group !== undefined && s.group !== d.group ? { group: s.group, version: s.version } : {}),
        kind: s.kind ?? d.kind,
        verbs: s.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}
