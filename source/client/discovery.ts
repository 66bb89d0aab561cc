import type { Transport } from './transport.ts';
import type { ResourceInfo } from './resource.ts';

const AGGREGATED_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,' +
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

export interface ServerVersion {
  major?: string;
  minor?: string;
  gitVersion?: string;
}

export async function fetchVersion(t: Transport, timeoutMs?: number): Promise<ServerVersion> {
  return t.json<ServerVersion>({ path: '/version', timeoutMs });
}

/**
 * Every resource the server serves, preferred version per group, core group first.
 * Aggregated discovery (`/api` + `/apis`, two requests) with a fallback to legacy per-group lists.
 */
export async function discoverResources(t: Transport, timeoutMs?: number): Promise<ResourceInfo[]> {
  const [core, groups] = await Promise.all([
    t.json<any>({ path: '/api', accept: AGGREGATED_ACCEPT, timeoutMs }).catch((err) => {
      if (err?.code === 404) return null; // tolerated, as kubectl does
      throw err;
    }),
    t.json<any>({ path: '/apis', accept: AGGREGATED_ACCEPT, timeoutMs }),
  ]);
  const out: ResourceInfo[] = [];
  for (const doc of [core, groups]) {
    if (!doc) continue;
    if (doc.kind === 'APIGroupDiscoveryList') out.push(...fromAggregated(doc));
    else out.push(...(await fromLegacy(t, doc, timeoutMs)));
  }
  return out;
}

function fromAggregated(doc: any): ResourceInfo[] {
  const out: ResourceInfo[] = [];
  for (const item of doc.items ?? []) {
    const group: string = item.metadata?.name ?? '';
    const preferred = item.versions?.[0];
    if (!preferred) continue;
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
        subresources: (r.subresources ?? []).map((s: any) => s.subresource),
      });
    }
  }
  return out;
}

async function fromLegacy(t: Transport, doc: any, timeoutMs?: number): Promise<ResourceInfo[]> {
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
    gvs.map((gv) => t.json<any>({ path: gv.path, timeoutMs }).then((l) => ({ gv, l })).catch(() => null)),
  );
  const out: ResourceInfo[] = [];
  for (const entry of lists) {
    if (!entry) continue;
    const all: any[] = entry.l.resources ?? [];
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
