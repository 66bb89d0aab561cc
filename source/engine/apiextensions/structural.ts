import type { StatusCause } from '../../api-types/index.ts';

/** A CRD's `openAPIV3Schema` node (the subset of JSONSchemaProps a structural schema uses). */
export interface JSONSchema {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, JSONSchema>;
  items?: JSONSchema;
  additionalProperties?: JSONSchema | boolean;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  [k: string]: unknown;
}

const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a CRD schema is structural; causes name the offending node as the apiserver does. */
export function structuralErrors(s: unknown, path: string, root = true): StatusCause[] {
  const out: StatusCause[] = [];
  if (!isObject(s))
    return [{ reason: 'FieldValueRequired', field: path, message: 'Required value: schemas are required' }];
  const node = s as JSONSchema;
  if (node.type !== undefined && !TYPES.includes(String(node.type))) {
    out.push({
      reason: 'FieldValueNotSupported',
      field: `${path}.type`,
      message: `Unsupported value: ${JSON.stringify(node.type)}: supported values: ${TYPES.map((t) => JSON.stringify(t)).join(', ')}`,
    });
  }
  if (!node.type && !node['x-kubernetes-preserve-unknown-fields'] && !node['x-kubernetes-int-or-string']) {
    out.push({
      reason: 'FieldValueRequired',
      field: `${path}.type`,
      message: 'Required value: must not be empty for specified object fields',
    });
  }
  if (root && node.type && node.type !== 'object') {
    out.push({
      reason: 'FieldValueInvalid',
      field: `${path}.type`,
      message: `Invalid value: ${JSON.stringify(node.type)}: must be object at the root`,
    });
  }
  if (node.pattern !== undefined) {
    try {
      new RegExp(String(node.pattern), 'u');
    } catch {
      out.push({
        reason: 'FieldValueInvalid',
        field: `${path}.pattern`,
        message: `Invalid value: ${JSON.stringify(node.pattern)}: must be a valid regular expression`,
      });
    }
  }
  if (node.properties !== undefined) {
    if (!isObject(node.properties))
      out.push({
        reason: 'FieldValueInvalid',
        field: `${path}.properties`,
        message: 'Invalid value: must be an object',
      });
    else
      for (const [k, v] of Object.entries(node.properties))
        out.push(...structuralErrors(v, `${path}.properties[${k}]`, false));
    if (node.additionalProperties !== undefined && node.additionalProperties !== false) {
      out.push({
        reason: 'FieldValueForbidden',
        field: `${path}.additionalProperties`,
        message: 'Forbidden: additionalProperties and properties are mutual exclusive',
      });
    }
  }
  if (isObject(node.additionalProperties))
    out.push(...structuralErrors(node.additionalProperties, `${path}.additionalProperties`, false));
  if (node.type === 'array') {
    if (!isObject(node.items))
      out.push({ reason: 'FieldValueRequired', field: `${path}.items`, message: 'Required value: must be specified' });
    else out.push(...structuralErrors(node.items, `${path}.items`, false));
  }
  if (node['x-kubernetes-list-type'] === 'map' && !node['x-kubernetes-list-map-keys']?.length) {
    out.push({
      reason: 'FieldValueRequired',
      field: `${path}.x-kubernetes-list-map-keys`,
      message: 'Required value: must not be empty if x-kubernetes-list-type is map',
    });
  }
  return out;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v));

/** Validate a custom object against its schema, with the apiserver's messages. */
export function validateValue(s: JSONSchema, v: unknown, path: string, out: StatusCause[]): void {
  const where = path || '<root>';
  if (v === undefined) return;
  if (v === null) {
    if (!s.nullable && s.type)
      out.push({
        reason: 'FieldValueTypeInvalid',
        field: path,
        message: `Invalid value: "null": ${where} in body must be of type ${s.type}: "null"`,
      });
    return;
  }
  if (s['x-kubernetes-int-or-string']) {
    if (typeof v !== 'string' && !Number.isInteger(v))
      out.push({
        reason: 'FieldValueTypeInvalid',
        field: path,
        message: `Invalid value: ${show(typeOf(v))}: ${where} in body must be of type integer or string: ${show(typeOf(v))}`,
      });
    return;
  }
  const t = typeOf(v);
  if (s.type && !(s.type === t || (s.type === 'number' && t === 'integer'))) {
    out.push({
      reason: 'FieldValueTypeInvalid',
      field: path,
      message: `Invalid value: ${show(t)}: ${where} in body must be of type ${s.type}: ${show(t)}`,
    });
    return;
  }
  if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) {
    out.push({
      reason: 'FieldValueNotSupported',
      field: path,
      message: `Unsupported value: ${show(v)}: supported values: ${s.enum.map(show).join(', ')}`,
    });
  }
  if (typeof v === 'number') {
    if (s.minimum !== undefined && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)) {
      out.push({
        reason: 'FieldValueInvalid',
        field: path,
        message: `Invalid value: ${v}: ${where} in body should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${s.minimum}`,
      });
    }
    if (s.maximum !== undefined && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)) {
      out.push({
        reason: 'FieldValueInvalid',
        field: path,
        message: `Invalid value: ${v}: ${where} in body should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${s.maximum}`,
      });
    }
  }
  if (typeof v === 'string') {
    if (s.maxLength !== undefined && [...v].length > s.maxLength)
      out.push({
        reason: 'FieldValueTooLong',
        field: path,
        message: `Too long: may not be more than ${s.maxLength} bytes`,
      });
    if (s.minLength !== undefined && [...v].length < s.minLength)
      out.push({
        reason: 'FieldValueInvalid',
        field: path,
        message: `Invalid value: ${show(v)}: ${where} in body should be at least ${s.minLength} chars long`,
      });
    if (s.pattern !== undefined) {
      let ok = true;
      try {
        ok = new RegExp(s.pattern, 'u').test(v);
      } catch {
        ok = true;
      }
      if (!ok)
        out.push({
          reason: 'FieldValueInvalid',
          field: path,
          message: `Invalid value: ${show(v)}: ${where} in body should match '${s.pattern}'`,
        });
    }
  }
  if (Array.isArray(v)) {
    if (s.maxItems !== undefined && v.length > s.maxItems)
      out.push({
        reason: 'FieldValueTooMany',
        field: path,
        message: `Too many: ${v.length}: must have at most ${s.maxItems} items`,
      });
    if (s.minItems !== undefined && v.length < s.minItems)
      out.push({
        reason: 'FieldValueInvalid',
        field: path,
        message: `Invalid value: ${v.length}: ${where} in body should have at least ${s.minItems} items`,
      });
    if (s.items) v.forEach((item, i) => validateValue(s.items!, item, `${path}[${i}]`, out));
    return;
  }
  if (isObject(v)) {
    for (const r of s.required ?? [])
      if (v[r] === undefined)
        out.push({ reason: 'FieldValueRequired', field: path ? `${path}.${r}` : r, message: 'Required value' });
    for (const [k, item] of Object.entries(v)) {
      if (item === undefined) continue;
      const child = s.properties?.[k] ?? (isObject(s.additionalProperties) ? s.additionalProperties : undefined);
      if (child && !(path === '' && (k === 'metadata' || k === 'apiVersion' || k === 'kind')))
        validateValue(child, item, path ? `${path}.${k}` : k, out);
    }
  }
}

/** Drop fields the schema does not declare (unless it preserves unknown fields); returns their paths. */
export function prune(s: JSONSchema, v: unknown, path = ''): string[] {
  const dropped: string[] = [];
  if (Array.isArray(v)) {
    if (s.items) v.forEach((item, i) => dropped.push(...prune(s.items!, item, `${path}[${i}]`)));
    return dropped;
  }
  if (!isObject(v) || (s['x-kubernetes-preserve-unknown-fields'] && !s.properties)) return dropped;
  for (const k of Object.keys(v)) {
    if (path === '' && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
    const child =
      s.properties?.[k] ??
      (isObject(s.additionalProperties) ? s.additionalProperties : s.additionalProperties === true ? {} : undefined);
    if (!child) {
      if (!s['x-kubernetes-preserve-unknown-fields']) {
        delete v[k];
        dropped.push(path ? `${path}.${k}` : k);
      }
      continue;
    }
    dropped.push(...prune(child, v[k], path ? `${path}.${k}` : k));
  }
  return dropped;
}

/** Fill `default`s in place, top-down, as the apiserver defaults a custom object. */
export function applyDefaults(s: JSONSchema, v: unknown): void {
  if (Array.isArray(v)) {
    if (s.items) v.forEach((item) => applyDefaults(s.items!, item));
    return;
  }
  if (!isObject(v)) return;
  for (const [k, child] of Object.entries(s.properties ?? {})) {
    if (v[k] === undefined && child.default !== undefined) v[k] = structuredClone(child.default);
    if (v[k] !== undefined) applyDefaults(child, v[k]);
  }
  if (isObject(s.additionalProperties))
    for (const k of Object.keys(v)) if (!s.properties?.[k]) applyDefaults(s.additionalProperties, v[k]);
}
