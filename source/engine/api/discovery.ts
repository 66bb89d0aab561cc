import { createHash } from 'node:crypto';
import type { Registry } from '../store/registry.ts';
import { compareVersions } from '../apiextensions/version-priority.ts';
import { DEFAULT_VERBS, resourceKey, type ResourceDef } from '../resources/types.ts';

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

/** Served defs by group, then by version in priority order (the first is the preferred version). */
function groups(registry: Registry): Map<string, Array<[string, ResourceDef[]]>> {
  const m = new Map<string, Map<string, ResourceDef[]>>();
  for (const d of registry.served()) {
    const versions = m.get(d.group) ?? new Map<string, ResourceDef[]>();
    versions.set(d.version, [...(versions.get(d.version) ?? []), d]);
    m.set(d.group, versions);
  }
  const out = new Map<string, Array<[string, ResourceDef[]]>>();
  for (const [g, versions] of m)
    out.set(
      g,
      [...versions].sort(([a], [b]) => compareVersions(a, b)),
    );
  return out;
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
            ...(s.kind
              ? { responseKind: { group: s.group ?? d.group, version: s.version ?? d.version, kind: s.kind } }
              : {}),
            verbs: s.verbs,
          })),
        }
      : {}),
  };
}

/** `/api` (core) or `/apis` (named groups) as an APIGroupDiscoveryList. */
export function aggregated(registry: Registry, core: boolean, version: 'v2' | 'v2beta1') {
  const items = [];
  for (const [group, versions] of groups(registry)) {
    if ((group === '') !== core) continue;
    items.push({
      metadata: { name: group, creationTimestamp: null },
      versions: versions.map(([v, defs]) => ({
        version: v,
        resources: defs.map(aggregatedResource),
        freshness: 'Current',
      })),
    });
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

export function legacyApiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(group: string, versions: Array<[string, ResourceDef[]]>) {
  const gvs = versions.map(([v]) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions: gvs, preferredVersion: gvs[0]! };
}

export function legacyGroupList(registry: Registry) {
  const out = [];
  for (const [group, versions] of groups(registry)) if (group !== '') out.push(apiGroup(group, versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: out };
}

export function legacyGroup(registry: Registry, group: string) {
  const versions = groups(registry).get(group);
  if (!versions) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, versions) };
}

/** The apiserver's storageVersionHash: the first 8 bytes of sha256("group/version/kind"), base64. */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}

export function resourceList(registry: Registry, group: string, version: string) {
  const defs = groups(registry)
    .get(group)
    ?.find(([v]) => v === version)?.[1];
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
      storageVersionHash: storageVersionHash(d.group, registry.get(resourceKey(d))?.version ?? d.version, d.kind),
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
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}
