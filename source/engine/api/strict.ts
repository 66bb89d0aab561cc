import type { ServerResponse } from 'node:http';
import type { KObject } from '../../api-types/index.ts';
import type { ResourceDef } from '../resources/types.ts';
import { ApiError, errors } from '../store/errors.ts';
import { kindSchema, type Struct } from './openapi-catalogue.ts';
import type { PatchType } from './patch/index.ts';
import { ANY, scanJson, StrictErrors, type Shape } from './strict-json.ts';

/**
 * `fieldValidation` (Strict / Warn, the default / Ignore) the way the apiserver's typed decoding
 * does it: unknown fields are always dropped; Warn answers with a `Warning` header per unknown or
 * repeated field, Strict refuses the write.
 */
export type Directive = 'Strict' | 'Warn' | 'Ignore';

export interface FieldCheck {
  def: ResourceDef;
  query: URLSearchParams;
  res: ServerResponse;
}

/** The directive of a write; an unknown value is 422, as the apiserver validates its options. */
export function directiveOf(
  query: URLSearchParams,
  options: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions',
): Directive {
  const v = query.get('fieldValidation') ?? '';
  if (v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw errors.invalid('meta.k8s.io', options, '', [
    {
      reason: 'FieldValueNotSupported',
      field: 'fieldValidation',
      message: `Unsupported value: ${JSON.stringify(v)}: supported values: "", "Ignore", "Strict", "Warn"`,
    },
  ]);
}

const bodies = new WeakMap<object, { buf: Buffer; format: string }>();

/** Remember the request body an object was decoded from: repeated keys are only visible in its text. */
export function noteBody(obj: object, buf: Buffer, format: 'json' | 'yaml' | 'protobuf'): void {
  bodies.set(obj, { buf, format });
}

/** fieldValidation for the body of a create or an update. */
export function checkBodyFields(r: FieldCheck, obj: KObject, verb: 'create' | 'update'): void {
  const directive = directiveOf(r.query, verb === 'create' ? 'CreateOptions' : 'UpdateOptions');
  const schema = kindSchema(r.def.group, r.def.version, r.def.kind);
  const body = bodies.get(obj);
  if (!schema && r.def.unknownFields) return checkPruned(r, directive, r.def.unknownFields(obj));
  // Protobuf bodies were decoded by field number: they cannot carry unknown fields.
  if (!schema || body?.format === 'protobuf') return;
  const errs = directive === 'Ignore' ? undefined : new StrictErrors();
  const raw = body?.format === 'json' && errs;
  if (raw) scanJson(body.buf.toString('utf8'), { k: 'struct', s: schema }, errs);
  // YAML reaches Go's decoder as JSON re-encoded from a map, so its fields come in sorted order.
  if (!raw || directive !== 'Strict')
    walk(schema, obj, undefined, '', body?.format === 'yaml', raw ? undefined : errs, directive !== 'Strict');
  if (!errs?.list.length) return;
  if (directive === 'Warn') return warn(r.res, errs.list);
  const kind = r.def.kind;
  throw errors.badRequest(
    `${kind} in version "${r.def.version}" cannot be handled as a ${kind}: strict decoding error: ${errs.list.join(', ')}`,
  );
}

/**
 * Custom resources: the fields their structural schema prunes are the unknown ones, reported as
 * the apiextensions server does (a warning each, or a 400 under Strict).
 */
function checkPruned(r: FieldCheck, directive: Directive, paths: string[]): void {
  if (directive === 'Ignore' || paths.length === 0) return;
  const list = paths.map((p) => `unknown field "${p}"`);
  if (directive === 'Warn') return warn(r.res, list);
  const kind = r.def.kind;
  throw errors.badRequest(
    `${kind} in version "${r.def.version}" cannot be handled as a ${kind}: strict decoding error: ${list.join(', ')}`,
  );
}

const JSON_PATCH_OP: Shape = {
  k: 'list',
  of: {
    k: 'struct',
    s: {
      kind: 'struct',
      name: 'jsonPatchOp',
      fields: Object.assign(Object.create(null), {
        op: { shape: 'one', type: { kind: 'leaf', type: 'string' } },
        path: { shape: 'one', type: { kind: 'leaf', type: 'string' } },
        from: { shape: 'one', type: { kind: 'leaf', type: 'string' } },
        value: { shape: 'one', type: { kind: 'leaf', type: 'object' } },
      }),
    },
  },
};

/**
 * fieldValidation for a patch: repeated keys in the patch body, then unknown fields of the patched
 * object. Fields the stored object already had are left alone.
 */
export function checkPatchedFields(
  r: FieldCheck,
  patched: KObject,
  current: KObject,
  type: PatchType,
  patchText: string,
): void {
  const directive = directiveOf(r.query, 'PatchOptions');
  const schema = kindSchema(r.def.group, r.def.version, r.def.kind);
  const errs = directive === 'Ignore' ? undefined : new StrictErrors();
  if (errs) {
    if (type === 'json') scanJson(patchText, JSON_PATCH_OP, errs, 'json patch ');
    else scanJson(patchText, ANY, errs);
  }
  if (schema) walk(schema, patched, current, '', true, errs, directive !== 'Strict');
  else if (r.def.unknownFields && errs) {
    // Fields the stored object already had were dropped when it was written: only new ones count.
    for (const path of r.def.unknownFields(patched)) errs.add('unknown', path);
  }
  if (!errs?.list.length) return;
  if (directive === 'Warn') return warn(r.res, errs.list);
  // The apiserver reports the patch map for strategic merge patches and the patched object otherwise.
  const value = type === 'strategic' ? goValue(JSON.parse(patchText)) : JSON.stringify(patched);
  const message = `Invalid value: ${JSON.stringify(value)}: strict decoding error: ${errs.list.join(', ')}`;
  throw new ApiError(422, 'Invalid', ` "" is invalid: patch: ${message}`, {
    causes: [{ reason: 'FieldValueInvalid', message, field: 'patch' }],
  });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
const own = (o: Record<string, unknown> | undefined, key: string) => (o && Object.hasOwn(o, key) ? o[key] : undefined);

/**
 * Walks an object against its schema: records unknown fields (unless the same path exists in
 * `old`) and, with `prune`, deletes them. Free-form values (maps of scalars, Time, Quantity, …) are
 * not entered, so big ConfigMaps and Secrets cost one lookup per top-level key.
 */
function walk(
  s: Struct,
  obj: Record<string, unknown>,
  old: unknown,
  path: string,
  sorted: boolean,
  errs: StrictErrors | undefined,
  prune: boolean,
): void {
  const keys = Object.keys(obj);
  if (sorted) keys.sort();
  const prev = isObject(old) ? old : undefined;
  for (const key of keys) {
    const f = s.fields[key];
    if (!f) {
      if (prev && Object.hasOwn(prev, key)) continue;
      errs?.add('unknown', join(path, key));
      if (prune && !Object.isFrozen(obj)) delete obj[key];
      continue;
    }
    if (f.type.kind !== 'struct') continue;
    const v = obj[key];
    const o = own(prev, key);
    const p = join(path, key);
    if (f.shape === 'one') {
      if (isObject(v)) walk(f.type, v, o, p, sorted, errs, prune);
    } else if (f.shape === 'list') {
      if (!Array.isArray(v)) continue;
      const ol = Array.isArray(o) ? o : undefined;
      for (let i = 0; i < v.length; i++)
        if (isObject(v[i])) walk(f.type, v[i], ol?.[i], `${p}[${i}]`, sorted, errs, prune);
    } else if (isObject(v)) {
      const om = isObject(o) ? o : undefined;
      const mapKeys = Object.keys(v);
      if (sorted) mapKeys.sort();
      for (const k of mapKeys)
        if (isObject(v[k])) walk(f.type, v[k] as Record<string, unknown>, own(om, k), join(p, k), sorted, errs, prune);
    }
  }
}

/** Adds `Warning: 299 - "<text>"` headers, which kubectl prints as `Warning: <text>`. */
export function warn(res: ServerResponse, texts: string[]): void {
  const prior = res.getHeader('Warning');
  const list = prior === undefined ? [] : Array.isArray(prior) ? prior : [String(prior)];
  // Header values must be visible ASCII: escape the rest (field names can come from any bytes).
  const quote = (t: string) =>
    JSON.stringify(t).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  res.setHeader('Warning', [...list, ...texts.map((t) => `299 - ${quote(t)}`)]);
}

/** A JSON value as Go's `%+v` prints the map it decodes to. */
function goValue(v: unknown): string {
  if (v === null) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o)
      .sort()
      .map((k) => `${k}:${goValue(o[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

/** The unknown fields of an object, without changing it (tests and diagnostics). */
export function unknownFields(def: Pick<ResourceDef, 'group' | 'version' | 'kind'>, obj: KObject): string[] {
  const schema = kindSchema(def.group, def.version, def.kind);
  const errs = new StrictErrors();
  if (schema) walk(schema, obj, undefined, '', false, errs, false);
  return errs.list;
}
