import type { APIGroupList, APIResource, APIResourceList, APIVersions } from 'kubernetes-types/meta/v1.d.ts';
import type { Transport } from './transport.ts';
import type { ResourceInfo } from './resource.ts';

const AGGREGATED_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,' +
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

// apidiscovery.k8s.io/v2 (aggregated discovery): not in the OpenAPI, so not in kubernetes-types.
// Only the fields read here; see k8s.io/api/apidiscovery/v2/types.go.
interface APIGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  items?: APIGroupDiscovery[];
}

interface APIGroupDiscovery {
  metadata?: { name?: string };
  versions?: APIVersionDiscovery[];
}

interface APIVersionDiscovery {
  version: string;
  freshness?: 'Current' | 'Stale';
  resources?: APIResourceDiscovery[];
}

interface APIResourceDiscovery {
  resource: string;
  responseKind?: { group?: string; version?: string; kind?: string };
  scope?: 'Cluster' | 'Namespaced';
  singularResource?: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: Array<{ subresource: string }>;
}

/** What `/api` or `/apis` answer: aggregated when the server honours the Accept, else legacy. */
type RootDiscovery =
  APIGroupDiscoveryList | (APIVersions & { kind: 'APIVersions' }) | (APIGroupList & { kind?: 'APIGroupList' });

export interface ServerVersion {
  major?: string;
  minor?: string;
  gitVersion?: string;
}

export async function fetchVersion(t: Transport, timeoutMs?: number): Promise<ServerVersion> {
  return t.json<ServerVersion>({ path: '/version', timeoutMs });
}

export interface Discovery {
  resources: ResourceInfo[];
  /**
   * Groups whose resources could not be read this time: a per-group request failed (after the
   * transport's Retry-After retries) or aggregated discovery marked the group `Stale` (an
   * aggregated apiserver such as metrics-server is down). A refresh keeps what it knew of them.
   */
  incomplete: string[];
}

/** Every resource the server serves (see `discover`). */
export async function discoverResources(t: Transport, timeoutMs?: number): Promise<ResourceInfo[]> {
  return (await discover(t, timeoutMs)).resources;
}

/**
 * Every resource the server serves, preferred version per group, core group first.
 * Aggregated discovery (`/api` + `/apis`, two requests) with a fallback to legacy per-group lists.
 */
export async function discover(t: Transport, timeoutMs?: number): Promise<Discovery> {
  const [core, groups] = await Promise.all([
    t.json<RootDiscovery>({ path: '/api', accept: AGGREGATED_ACCEPT, timeoutMs }).catch((err) => {
      if (err?.code === 404) return null; // tolerated, as kubectl does
      throw err;
    }),
    t.json<RootDiscovery>({ path: '/apis', accept: AGGREGATED_ACCEPT, timeoutMs }),
  ]);
  const out: Discovery = { resources: [], incomplete: [] };
  for (const doc of [core, groups]) {
    if (!doc) continue;
    if (doc.kind === 'APIGroupDiscoveryList') out.resources.push(...fromAggregated(doc, out.incomplete));
    else out.resources.push(...(await fromLegacy(t, doc, out.incomplete, timeoutMs)));
  }
  return out;
}

function fromAggregated(doc: APIGroupDiscoveryList, incomplete: string[]): ResourceInfo[] {
  const out: ResourceInfo[] = [];
  for (const item of doc.items ?? []) {
    const group: string = item.metadata?.name ?? '';
    const preferred = item.versions?.[0];
    if (!preferred) continue;
    // Stale: the aggregated apiserver behind it did not answer; its resources are the last known.
    if (preferred.freshness === 'Stale') incomplete.push(group);
    for (const r of preferred.resources ?? []) {
      out.push({
        group,
        version: preferred.version,
        kind: r.responseKind?.kind ?? '',
        plural: r.resource,
        singular: r.singularResource || (r.responseKind?.kind ?? '').toLowerCase(),
        namespaced: r.scope === 'Namespaced',
        shortNames: r.shortNames ?? [],
        verbs: r.verbs ?? [],
        categories: r.categories ?? [],
        subresources: (r.subresources ?? []).map((s) => s.subresource),
      });
    }
  }
  return out;
}

async function fromLegacy(
  t: Transport,
  doc: Exclude<RootDiscovery, APIGroupDiscoveryList>,
  incomplete: string[],
  timeoutMs?: number,
): Promise<ResourceInfo[]> {
  // `/api` answers APIVersions, `/apis` answers APIGroupList.
  const gvs: Array<{ group: string; version: string; path: string }> = [];
  if (doc.kind === 'APIVersions') {
    const v = doc.versions?.[0];
    if (v) gvs.push({ group: '', version: v, path: `/api/${v}` });
  } else {
    for (const g of doc.groups ?? []) {
      const v = g.preferredVersion?.version ?? g.versions?.[0]?.version;
      if (v) gvs.push({ group: g.name, version: v, path: `/apis/${g.name}/${v}` });
    }
  }
  const lists = await Promise.all(
    gvs.map((gv) =>
      t
        .json<APIResourceList>({ path: gv.path, timeoutMs })
        .then((l) => ({ gv, l }))
        .catch(() => {
          incomplete.push(gv.group);
          return null;
        }),
    ),
  );
  const out: ResourceInfo[] = [];
  for (const entry of lists) {
    if (!entry) continue;
    const all: APIResource[] = entry.l.resources ?? [];
    for (const r of all) {
      if (r.name.includes('/')) continue;
      out.push({
        group: entry.gv.group,
        version: entry.gv.version,
        kind: r.kind,
        plural: r.name,
        singular: r.singularName || String(r.kind).toLowerCase(),
        namespaced: !!r.namespaced,
        shortNames: r.shortNames ?? [],
        verbs: r.verbs ?? [],
        categories: r.categories ?? [],
        subresources: all.filter((s) => s.name.startsWith(`${r.name}/`)).map((s) => s.name.split('/')[1]),
      });
    }
  }
  return out;
}
