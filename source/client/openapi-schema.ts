import { apiVersion, type ResourceInfo } from './resource.ts';
import type { Transport } from './transport.ts';

/** The parts of an OpenAPI v3 schema `explain` reads. */
export interface Schema {
  $ref?: string;
  allOf?: Schema[];
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  'x-kubernetes-group-version-kind'?: Array<{ group: string; version: string; kind: string }>;
}

export type Schemas = Record<string, Schema>;

export interface ExplainField {
  name: string;
  type: string;
  required: boolean;
  description: string;
  /** Has fields of its own (an object, or a list or map of objects). */
  nested: boolean;
}

export interface Explained {
  /** `deployment.spec.strategy` as asked, with the kind's own name first. */
  path: string[];
  type: string;
  description: string;
  fields: ExplainField[];
}

const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);

/** A schema with `$ref` and single-element `allOf` (how v3 wraps refs with descriptions) followed. */
export function resolve(schemas: Schemas, s: Schema | undefined): Schema | undefined {
  let cur = s;
  for (let i = 0; cur && i < 20; i++) {
    if (cur.$ref)
      cur = { ...schemas[refName(cur.$ref)], description: cur.description ?? schemas[refName(cur.$ref)]?.description };
    else if (cur.allOf?.length === 1 && !cur.properties)
      cur = { ...cur.allOf[0], description: cur.description ?? cur.allOf[0].description };
    else return cur;
  }
  return cur;
}

/** How kubectl explain names a type: `string`, `[]Container`, `map[string]string`, `DeploymentStrategy`. */
export function typeName(schemas: Schemas, s: Schema | undefined): string {
  if (!s) return '<unknown>';
  const ref = s.$ref ?? (s.allOf?.length === 1 ? s.allOf[0].$ref : undefined);
  if (ref) {
    const name = refName(ref);
    const last = name.slice(name.lastIndexOf('.') + 1);
    const target = schemas[name];
    if (target?.format === 'int-or-string') return 'IntOrString';
    return target && target.type && target.type !== 'object' ? target.type : last;
  }
  if (s.type === 'array') return `[]${typeName(schemas, s.items)}`;
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object') {
    return `map[string]${typeName(schemas, s.additionalProperties)}`;
  }
  return s.type ?? 'Object';
}

/** The schema whose fields a path segment opens: through lists and maps to their elements. */
function element(schemas: Schemas, s: Schema | undefined): Schema | undefined {
  let cur = resolve(schemas, s);
  for (let i = 0; cur && i < 5; i++) {
    if (cur.type === 'array') cur = resolve(schemas, cur.items);
    else if (
      cur.type === 'object' &&
      !cur.properties &&
      cur.additionalProperties &&
      typeof cur.additionalProperties === 'object'
    ) {
      cur = resolve(schemas, cur.additionalProperties);
    } else break;
  }
  return cur;
}

/** The field at `fields` below the kind's schema, as kubectl explain shows it; an error string when absent. */
export function explainAt(schemas: Schemas, root: Schema, kindPath: string, fields: string[]): Explained | string {
  let s: Schema | undefined = root;
  let type = typeName(schemas, root);
  let description = resolve(schemas, root)?.description ?? '';
  for (const [i, f] of fields.entries()) {
    const parent = element(schemas, s);
    const next = parent?.properties?.[f];
    if (!next) return `field "${f}" does not exist in ${[kindPath, ...fields.slice(0, i)].join('.')}`;
    type = typeName(schemas, next);
    description = next.description ?? resolve(schemas, next)?.description ?? '';
    s = next;
  }
  const el = element(schemas, s);
  const required = new Set(el?.required ?? []);
  const out: ExplainField[] = Object.entries(el?.properties ?? {})
    .map(([name, f]) => {
      const fe = element(schemas, f);
      return {
        name,
        type: typeName(schemas, f),
        required: required.has(name),
        description: f.description ?? resolve(schemas, f)?.description ?? '',
        nested: !!fe?.properties && Object.keys(fe.properties).length > 0,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return { path: [kindPath, ...fields], type, description, fields: out };
}

/** The kind's schema from the server's OpenAPI v3 document of its group-version. */
export async function fetchKindSchema(
  transport: Transport,
  info: ResourceInfo,
): Promise<{ schemas: Schemas; root: Schema }> {
  const index = await transport.json<{ paths?: Record<string, { serverRelativeURL?: string }> }>({
    path: '/openapi/v3',
  });
  const gv = info.group ? `apis/${info.group}/${info.version}` : `api/${info.version}`;
  const url = index.paths?.[gv]?.serverRelativeURL ?? `/openapi/v3/${gv}`;
  const [path, qs] = url.split('?');
  const query = Object.fromEntries(new URLSearchParams(qs ?? ''));
  const doc = await transport.json<{ components?: { schemas?: Schemas } }>({ path, query });
  const schemas = doc.components?.schemas ?? {};
  const av = apiVersion(info);
  for (const s of Object.values(schemas)) {
    const gvk = s['x-kubernetes-group-version-kind'];
    if (gvk?.some((k) => k.kind === info.kind && (k.group ? `${k.group}/${k.version}` : k.version) === av))
      return { schemas, root: s };
  }
  throw new Error(`the server's OpenAPI has no schema for ${info.kind} (${av})`);
}
