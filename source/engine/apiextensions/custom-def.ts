import type { KObject, StatusCause, TableColumnDefinition } from '../../api-types/index.ts';
import { ANY, SCALAR, type TypeNode } from '../api/managed/types.ts';
import { deducedObjectType } from '../api/managed/types.ts';
import { translateTimestampSince } from '../api/printers/index.ts';
import { conversionFailed } from '../api/versions.ts';
import { DEFAULT_VERBS, type ResourceDef } from '../resources/types.ts';
import { compareVersions } from './version-priority.ts';
import { applyDefaults, prune, validateValue, type JSONSchema } from './structural.ts';

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: JSONSchema };
  subresources?: {
    status?: object;
    scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  };
  additionalPrinterColumns?: Array<{
    name: string;
    type: string;
    jsonPath: string;
    description?: string;
    priority?: number;
    format?: string;
  }>;
}

export interface CrdSpec {
  group: string;
  scope: 'Namespaced' | 'Cluster';
  names: {
    plural: string;
    singular?: string;
    kind: string;
    listKind?: string;
    shortNames?: string[];
    categories?: string[];
  };
  versions: CrdVersion[];
  conversion?: { strategy?: string; webhook?: unknown };
}

/** Why a `Webhook` conversion cannot happen here (skiff calls no conversion webhooks). */
export const NO_WEBHOOKS =
  'skiff does not call conversion webhooks (spec.conversion.strategy: Webhook); only objects at their stored version can be read or written';

/** `.spec.replicas` → value, for printer columns and scale paths (simple field paths, as CRDs use). */
export function readPath(obj: unknown, path: string): unknown {
  const parts = path.replace(/^\./, '').split('.').filter(Boolean);
  let cur: unknown = obj;
  for (const p of parts) {
    const m = p.match(/^([^[]+)(?:\[(\d+)\])?$/);
    if (!m || !cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[m[1]!];
    if (m[2] !== undefined) cur = Array.isArray(cur) ? cur[Number(m[2])] : undefined;
  }
  return cur;
}

function cell(v: unknown, type: string, now: number): unknown {
  if (v === undefined || v === null) return null;
  if (type === 'date') return translateTimestampSince(v, now);
  if (type === 'integer' || type === 'number') return typeof v === 'number' ? v : null;
  if (type === 'boolean') return typeof v === 'boolean' ? v : null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The schema of the object itself as served in OpenAPI: metadata is ObjectMeta. */
function openapiOf(schema: JSONSchema | undefined): Record<string, unknown> {
  const s = structuredClone(schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  s.properties = {
    apiVersion: {
      type: 'string',
      description: 'APIVersion defines the versioned schema of this representation of an object.',
    },
    kind: {
      type: 'string',
      description: 'Kind is a string value representing the REST resource this object represents.',
    },
    ...(s.properties ?? {}),
    metadata: {
      $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
      description: "Standard object's metadata.",
    } as JSONSchema,
  };
  return s;
}

/** Server-side apply's type for a structural schema. */
export function ssaTypeOfSchema(s: JSONSchema | undefined): TypeNode {
  if (!s) return ANY;
  if (s['x-kubernetes-int-or-string']) return SCALAR;
  if (s.type === 'array') {
    const lt = s['x-kubernetes-list-type'];
    const elem = ssaTypeOfSchema(s.items);
    if (lt === 'map') return { k: 'list', listType: 'map', keys: s['x-kubernetes-list-map-keys'], elem };
    if (lt === 'set') return { k: 'list', listType: 'set', elem };
    return { k: 'list', listType: 'atomic', elem };
  }
  if (s.type === 'object' || s.properties) {
    const atomic = s['x-kubernetes-map-type'] === 'atomic';
    if (s.properties) {
      const props = s.properties;
      return { k: 'struct', atomic, field: (name) => (props[name] ? ssaTypeOfSchema(props[name]) : ANY) };
    }
    if (typeof s.additionalProperties === 'object')
      return { k: 'map', atomic, elem: ssaTypeOfSchema(s.additionalProperties) };
    return s['x-kubernetes-preserve-unknown-fields'] ? ANY : { k: 'map', atomic, elem: ANY };
  }
  if (s['x-kubernetes-preserve-unknown-fields']) return ANY;
  return SCALAR;
}

/** `stable.example.com/v1beta1 CronTab is deprecated; use stable.example.com/v1 CronTab`, as upstream words it. */
function defaultDeprecationWarning(spec: CrdSpec, version: string): string {
  const msg = `${spec.group}/${version} ${spec.names.kind} is deprecated`;
  const newer = spec.versions
    .filter((v) => v.served && !v.deprecated && compareVersions(version, v.name) > 0)
    .map((v) => v.name)
    .sort(compareVersions);
  return newer.length ? `${msg}; use ${spec.group}/${newer[0]} ${spec.names.kind}` : msg;
}

/** The ResourceDef that serves one version of a CustomResourceDefinition. */
export function customResourceDef(spec: CrdSpec, version: CrdVersion): ResourceDef {
  const schema = version.schema?.openAPIV3Schema;
  const hasStatus = !!version.subresources?.status;
  const scale = version.subresources?.scale;
  const columns = version.additionalPrinterColumns ?? [];
  const tableColumns: TableColumnDefinition[] = [
    {
      name: 'Name',
      type: 'string',
      format: 'name',
      description: 'Name must be unique within a namespace.',
      priority: 0,
    },
    ...columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.description ?? '',
      priority: c.priority ?? 0,
    })),
  ];
  const hasAge = columns.some((c) => c.jsonPath === '.metadata.creationTimestamp');
  if (!hasAge && columns.length === 0)
    tableColumns.push({
      name: 'Age',
      type: 'date',
      format: '',
      description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
      priority: 0,
    });
  const objectType = ((): TypeNode => {
    const t = ssaTypeOfSchema(schema);
    const meta = deducedObjectType();
    if (t.k !== 'struct' || meta.k !== 'struct') return meta;
    return { k: 'struct', field: (name) => (name === 'metadata' ? meta.field('metadata') : t.field(name)) };
  })();
  const apiVersion = `${spec.group}/${version.name}`;
  const webhook = spec.conversion?.strategy === 'Webhook';
  return {
    group: spec.group,
    version: version.name,
    kind: spec.names.kind,
    plural: spec.names.plural,
    singular: spec.names.singular || spec.names.kind.toLowerCase(),
    namespaced: spec.scope === 'Namespaced',
    shortNames: spec.names.shortNames?.length ? spec.names.shortNames : undefined,
    categories: spec.names.categories?.length ? spec.names.categories : undefined,
    verbs: DEFAULT_VERBS,
    hasStatus,
    subresources: [
      ...(hasStatus ? [{ name: 'status', kind: spec.names.kind, verbs: ['get', 'patch', 'update'] }] : []),
      ...(scale
        ? [{ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] }]
        : []),
    ],
    scale: scale
      ? {
          specReplicasPath: scale.specReplicasPath,
          statusReplicasPath: scale.statusReplicasPath,
          labelSelectorPath: scale.labelSelectorPath,
        }
      : undefined,
    defaults(obj: KObject): void {
      if (!schema) return;
      prune(schema, obj);
      applyDefaults(schema, obj);
    },
    validate(obj: KObject): StatusCause[] {
      if (!schema) return [];
      const out: StatusCause[] = [];
      validateValue(schema, obj, '', out);
      return out;
    },
    // Conversion `None`, as upstream's nopConverter: only apiVersion changes; then this version's
    // schema prunes what it does not declare.
    fromStorage(obj: KObject): KObject {
      if (obj.apiVersion === apiVersion) return obj;
      if (webhook) throw conversionFailed(apiVersion, spec.names.kind, NO_WEBHOOKS);
      const out = structuredClone(obj) as KObject;
      out.apiVersion = apiVersion;
      if (schema) prune(schema, out);
      return out;
    },
    conversionError: webhook ? NO_WEBHOOKS : undefined,
    deprecationWarning: version.deprecated
      ? (version.deprecationWarning ?? defaultDeprecationWarning(spec, version.name))
      : undefined,
    ssaType: () => objectType,
    validateApplied: () => [],
    unknownFields: (obj: KObject) => (schema ? prune(schema, structuredClone(obj)) : []),
    openapi: () => openapiOf(schema),
    table: {
      columns: tableColumns,
      row(obj: KObject, now: number): unknown[] {
        const cells: unknown[] = [obj.metadata.name];
        for (const c of columns) cells.push(cell(readPath(obj, c.jsonPath), c.type, now));
        if (!hasAge && columns.length === 0) cells.push(translateTimestampSince(obj.metadata.creationTimestamp, now));
        return cells;
      },
    },
  };
}
