import { readFileSync, readdirSync } from 'node:fs';
import protobuf from 'protobufjs';

/**
 * The field catalogue of the built-in kinds, read from the protobuf schemas in ./protobuf/schema
 * (their field names are the JSON names, see ../protobuf/schema.ts). It backs fieldValidation
 * (strict.ts) and the OpenAPI v2 definitions (openapi-v2.ts).
 */

/** A value with no fields of its own: a scalar, or a message with a custom JSON form. */
export interface Leaf {
  kind: 'leaf';
  type: 'string' | 'integer' | 'number' | 'boolean' | 'object';
  format?: string;
  /** Set for messages with a custom JSON form (Time, Quantity, …): their definition name. */
  name?: string;
}

export interface Struct {
  kind: 'struct';
  /** Definition name, the way the apiserver's OpenAPI names it: `io.k8s.api.core.v1.PodSpec`. */
  name: string;
  /** JSON field name → field; a null-prototype object, so `fields[key]` is safe for any key. */
  fields: Record<string, Field>;
  /** Set on top-level kinds. */
  gvk?: { group: string; version: string; kind: string };
}

export interface Field {
  shape: 'one' | 'list' | 'map';
  type: Struct | Leaf;
}

const SCALARS: Record<string, Leaf> = {
  string: { kind: 'leaf', type: 'string' },
  bytes: { kind: 'leaf', type: 'string', format: 'byte' },
  bool: { kind: 'leaf', type: 'boolean' },
  int32: { kind: 'leaf', type: 'integer', format: 'int32' },
  uint32: { kind: 'leaf', type: 'integer', format: 'int32' },
  int64: { kind: 'leaf', type: 'integer', format: 'int64' },
  uint64: { kind: 'leaf', type: 'integer', format: 'int64' },
  double: { kind: 'leaf', type: 'number', format: 'double' },
  float: { kind: 'leaf', type: 'number', format: 'double' },
};

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
/** Messages whose JSON is not their fields: anything goes below them as far as field names are concerned. */
const CUSTOM: Record<string, Omit<Leaf, 'kind' | 'name'>> = {
  [`${META}.Time`]: { type: 'string', format: 'date-time' },
  [`${META}.MicroTime`]: { type: 'string', format: 'date-time' },
  [`${META}.FieldsV1`]: { type: 'object' },
  'k8s.io.apimachinery.pkg.runtime.RawExtension': { type: 'object' },
  'k8s.io.apimachinery.pkg.api.resource.Quantity': { type: 'string' },
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': { type: 'string', format: 'int-or-string' },
};

let root: protobuf.Root | undefined;
const structs = new Map<string, Struct | Leaf>();
const kinds = new Map<string, Struct | undefined>();

function schemaRoot(): protobuf.Root {
  if (!root) {
    const dir = new URL('./protobuf/schema/', import.meta.url);
    const loaded = new protobuf.Root();
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.proto'))
      .sort()) {
      protobuf.parse(readFileSync(new URL(file, dir), 'utf8'), loaded, { keepCase: true });
    }
    loaded.resolveAll();
    root = loaded;
  }
  return root;
}

/** `k8s.io.api.core.v1.Pod` → `io.k8s.api.core.v1.Pod`. */
export function definitionName(protoName: string): string {
  return protoName.replace(/^k8s\.io\./, 'io.k8s.');
}

function typeOf(type: protobuf.Type): Struct | Leaf {
  const full = type.fullName.slice(1);
  const known = structs.get(full);
  if (known) return known;
  const custom = CUSTOM[full];
  if (custom) {
    const leaf: Leaf = { kind: 'leaf', ...custom, name: definitionName(full) };
    structs.set(full, leaf);
    return leaf;
  }
  const struct: Struct = { kind: 'struct', name: definitionName(full), fields: Object.create(null) };
  structs.set(full, struct); // before the fields, so cycles resolve
  for (const f of type.fieldsArray) {
    const t = f.resolvedType instanceof protobuf.Type ? typeOf(f.resolvedType) : (SCALARS[f.type] ?? SCALARS.string!);
    if (f.options?.['(inline)'] === true && t.kind === 'struct') Object.assign(struct.fields, t.fields);
    else
      struct.fields[f.name] = {
        shape: (f as unknown as protobuf.MapField).map ? 'map' : f.repeated ? 'list' : 'one',
        type: t,
      };
  }
  return struct;
}

/** API group → the package segment of `k8s.io.api.<segment>.<version>`: `apps`, `discovery.k8s.io` → `discovery`. */
function packageOf(group: string): string {
  return group === '' ? 'core' : group.split('.')[0]!;
}

/**
 * The schema of a top-level kind (with `apiVersion` and `kind`), or undefined when the catalogue
 * has no message for it.
 */
export function kindSchema(group: string, version: string, kind: string): Struct | undefined {
  const key = `${group}/${version}/${kind}`;
  if (kinds.has(key)) return kinds.get(key);
  const found = schemaRoot().lookup(`.k8s.io.api.${packageOf(group)}.${version}.${kind}`);
  let out: Struct | undefined;
  if (found instanceof protobuf.Type && found.fields.metadata) {
    const base = typeOf(found) as Struct;
    const fields: Record<string, Field> = Object.create(null);
    fields.apiVersion = { shape: 'one', type: SCALARS.string! };
    fields.kind = { shape: 'one', type: SCALARS.string! };
    out = { ...base, fields: Object.assign(fields, base.fields), gvk: { group, version, kind } };
  }
  kinds.set(key, out);
  return out;
}
