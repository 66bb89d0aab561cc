import { readFileSync } from 'node:fs';
import { ATOMIC_MAPS, ATOMIC_STRUCTS, listInfo } from '../managed/list-types.ts';

/**
 * The schema catalogue behind /openapi/v2 and /openapi/v3: upstream's definitions (generated into
 * definitions.json by scripts/gen-openapi-definitions.ts) with the list and map markers of
 * ../managed/list-types.ts, so OpenAPI says what server-side apply does.
 */
export type Schema = Record<string, unknown> & {
  type?: string;
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema;
  $ref?: string;
};

interface Gvk {
  group: string;
  version: string;
  kind: string;
}

let loaded: Record<string, Schema> | undefined;

export function definitions(): Record<string, Schema> {
  if (loaded) return loaded;
  const raw = JSON.parse(readFileSync(new URL('./definitions.json', import.meta.url), 'utf8')) as {
    definitions: Record<string, Schema>;
  };
  for (const [name, def] of Object.entries(raw.definitions)) {
    const short = name.slice(name.lastIndexOf('.') + 1);
    if (ATOMIC_STRUCTS.has(short)) def['x-kubernetes-map-type'] = 'atomic';
    for (const [field, prop] of Object.entries(def.properties ?? {})) {
      if (prop.type === 'array') {
        const info = listInfo(`${short}.${field}`, field);
        prop['x-kubernetes-list-type'] = info?.type ?? 'atomic';
        if (info?.keys) prop['x-kubernetes-list-map-keys'] = info.keys;
      } else if (prop.type === 'object' && prop.additionalProperties && ATOMIC_MAPS.has(`${short}.${field}`)) {
        prop['x-kubernetes-map-type'] = 'atomic';
      }
    }
  }
  loaded = raw.definitions;
  return loaded;
}

let byGvk: Map<string, string> | undefined;

/** The definition name of a kind (`io.k8s.api.apps.v1.Deployment`), or undefined. */
export function definitionOf(group: string, version: string, kind: string): string | undefined {
  if (!byGvk) {
    byGvk = new Map();
    for (const [name, def] of Object.entries(definitions())) {
      for (const g of (def['x-kubernetes-group-version-kind'] as Gvk[] | undefined) ?? [])
        byGvk.set(`${g.group}/${g.version}/${g.kind}`, name);
    }
  }
  return byGvk.get(`${group}/${version}/${kind}`);
}

const REF = '#/definitions/';

/** Every definition `roots` refer to, directly or not, from `defs`. */
export function closure(roots: string[], defs: Record<string, Schema>): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  const visit = (name: string): void => {
    if (out[name] || !defs[name]) return;
    out[name] = defs[name]!;
    walkRefs(defs[name]!, visit);
  };
  roots.forEach(visit);
  return out;
}

function walkRefs(s: unknown, f: (name: string) => void): void {
  if (Array.isArray(s)) return s.forEach((x) => walkRefs(x, f));
  if (!s || typeof s !== 'object') return;
  for (const [k, v] of Object.entries(s)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith(REF)) f(v.slice(REF.length));
    else walkRefs(v, f);
  }
}

/** A v2 schema in v3 form: refs under components, and a described ref wrapped in allOf as the apiserver writes it. */
export function toV3(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(toV3);
  if (!s || typeof s !== 'object') return s;
  const o = s as Schema;
  if (typeof o.$ref === 'string') {
    const ref = { $ref: o.$ref.replace(REF, '#/components/schemas/') };
    const rest = Object.fromEntries(Object.entries(o).filter(([k]) => k !== '$ref'));
    return Object.keys(rest).length ? { ...rest, allOf: [ref], default: {} } : ref;
  }
  return Object.fromEntries(
    Object.entries(o).map(([k, v]) => [
      k,
      k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([pk, pv]) => [pk, toV3(pv)])) : toV3(v),
    ]),
  );
}
