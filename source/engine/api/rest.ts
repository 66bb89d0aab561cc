import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KObject } from '../../api-types/index.ts';
import type { EngineContext } from '../context.ts';
import { apiVersionOf, resourceKey, type ResourceDef } from '../resources/types.ts';
import { ApiError, errors } from '../store/errors.ts';
import type { DeleteOptions } from '../store/store.ts';
import { bodyFormat, parseDocument, readBody } from './body.ts';
import { applyPatch, patchTypeFromContentType } from './patch/index.ts';
import type { ApiPath } from './paths.ts';
import { decodeK8sProtobuf } from './protobuf/decode.ts';
import { sendJson } from './respond.ts';
import { checkBodyFields, checkPatchedFields, noteBody } from './strict.ts';
import { includeObjectOf, toTable, wantsTable } from './table.ts';
import { serveWatch } from './watch.ts';

export interface RestRequest {
  ctx: EngineContext;
  req: IncomingMessage;
  res: ServerResponse;
  path: ApiPath;
  def: ResourceDef;
  query: URLSearchParams;
}

export const isTrue = (v: string | null) => v === 'true' || v === '1';

export function dryRunOf(q: URLSearchParams): boolean {
  const v = q.getAll('dryRun');
  if (v.some((x) => x !== 'All')) throw errors.badRequest(`Invalid dryRun value: ${v.join(',')}. Supported values: All`);
  return v.length > 0;
}

function storeKey(def: ResourceDef): string {
  return resourceKey(def);
}

/** Read and decode a request body (JSON, YAML or protobuf) into an object. */
export async function readObject(r: RestRequest): Promise<KObject> {
  const fmt = bodyFormat(r.req.headers['content-type']);
  const buf = await readBody(r.req);
  if (!buf.length) throw errors.badRequest('the body of the request was empty');
  let obj: unknown;
  if (fmt === 'json' || fmt === 'yaml') obj = parseDocument(buf, fmt);
  else if (fmt === 'protobuf') obj = decodeK8sProtobuf(buf);
  else throw errors.unsupportedMediaType(String(r.req.headers['content-type']));
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw errors.badRequest('the body of the request must be a JSON object');
  noteBody(obj, buf, fmt);
  return obj as KObject;
}

/** The body's kind/apiVersion must be absent or match the endpoint; the namespace must agree with the URL. */
export function checkIdentity(r: RestRequest, obj: KObject, expectKind = r.def.kind, expectApiVersion = apiVersionOf(r.def)): void {
  if (obj.kind !== undefined && obj.kind !== expectKind) {
    throw errors.badRequest(`the kind in the body (${String(obj.kind)}) does not match the expected kind ${expectKind} for this endpoint`);
  }
  if (obj.apiVersion !== undefined && obj.apiVersion !== expectApiVersion) {
    throw errors.badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expectApiVersion})`);
  }
  if (obj.metadata !== undefined && (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata))) {
    throw errors.badRequest('metadata must be an object');
  }
  obj.metadata ??= {};
  if (r.def.namespaced) {
    const ns = r.path.namespace;
    if (obj.metadata.namespace && ns && obj.metadata.namespace !== ns) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    if (ns) obj.metadata.namespace = ns;
  }
}

function validateFields(r: RestRequest, obj: KObject, verb: 'create' | 'update'): void {
  checkBodyFields(r, obj, verb);
}

export async function handleCollection(r: RestRequest): Promise<void> {
  const { ctx, req, res, def, query } = r;
  const key = storeKey(def);
  if (!def.namespaced && r.path.namespace) throw errors.notFound(def.group, def.plural, '');
  switch (req.method) {
    case 'GET': {
      const rv = query.get('resourceVersion');
      if (rv && !/^\d+$/.test(rv)) throw errors.badRequest(`invalid resource version: ${rv}`);
      if (isTrue(query.get('watch'))) return serveWatch(r);
      const filter = {
        namespace: r.path.namespace,
        labelSelector: query.get('labelSelector') ?? undefined,
        fieldSelector: query.get('fieldSelector') ?? undefined,
        limit: query.get('limit') ? Number(query.get('limit')) : undefined,
        continue: query.get('continue') ?? undefined,
      };
      if (filter.limit !== undefined && (!Number.isInteger(filter.limit) || filter.limit < 0)) throw errors.badRequest(`invalid limit: ${query.get('limit')}`);
      const list = ctx.store.list(key, filter);
      const meta = { resourceVersion: list.resourceVersion, ...(list.continue ? { continue: list.continue, remainingItemCount: list.remaining } : {}) };
      if (wantsTable(req.headers.accept)) return sendJson(res, 200, toTable(def, list.items, ctx.clock.now(), includeObjectOf(query), meta));
      return sendRaw(res, 200, listJson(def, list.items, meta));
    }
    case 'POST': {
      const obj = await readObject(r);
      checkIdentity(r, obj);
      validateFields(r, obj, 'create');
      const created = ctx.store.create(key, obj, { dryRun: dryRunOf(query) });
      return sendJson(res, 201, created);
    }
    case 'DELETE': {
      const opts = await deleteOptions(r);
      const list = ctx.store.list(key, {
        namespace: r.path.namespace,
        labelSelector: query.get('labelSelector') ?? undefined,
        fieldSelector: query.get('fieldSelector') ?? undefined,
      });
      const out: KObject[] = [];
      for (const o of list.items) {
        try {
          out.push(ctx.store.delete(key, o.metadata.namespace, o.metadata.name!, opts).object);
        } catch (e) {
          if (!(e instanceof ApiError && e.code === 404)) throw e;
        }
      }
      return sendRaw(res, 200, listJson(def, out, { resourceVersion: String(ctx.store.currentRV()) }));
    }
    default:
      throw errors.methodNotAllowed();
  }
}

/** Lists are serialized by hand so 10,000 items are stringified once, without an extra copy. */
function listJson(def: ResourceDef, items: KObject[], meta: object): string {
  const parts = new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) parts[i] = JSON.stringify(items[i]);
  return `{"kind":"${def.kind}List","apiVersion":"${apiVersionOf(def)}","metadata":${JSON.stringify(meta)},"items":[${parts.join(',')}]}`;
}

function sendRaw(res: ServerResponse, code: number, body: string): void {
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-cache, private' });
  res.end(body);
}

export async function deleteOptions(r: RestRequest): Promise<DeleteOptions> {
  const q = r.query;
  let body: any = {};
  if (r.req.method === 'DELETE') {
    const buf = await readBody(r.req);
    if (buf.length) {
      const fmt = bodyFormat(r.req.headers['content-type']);
      if (fmt === 'protobuf') body = decodeK8sProtobuf(buf);
      else body = parseDocument(buf, fmt === 'yaml' ? 'yaml' : 'json');
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw errors.badRequest('DeleteOptions must be an object');
    }
  }
  const grace = body.gracePeriodSeconds ?? (q.get('gracePeriodSeconds') !== null ? Number(q.get('gracePeriodSeconds')) : undefined);
  if (grace !== undefined && (!Number.isInteger(grace) || grace < 0)) throw errors.badRequest(`invalid gracePeriodSeconds: ${grace}`);
  let policy = body.propagationPolicy ?? q.get('propagationPolicy') ?? undefined;
  if (body.orphanDependents === true || q.get('orphanDependents') === 'true') policy = 'Orphan';
  if (policy !== undefined && !['Background', 'Foreground', 'Orphan'].includes(policy)) {
    throw errors.badRequest(`DeleteOptions.propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`);
  }
  if (body.dryRun !== undefined && (!Array.isArray(body.dryRun) || body.dryRun.some((x: unknown) => x !== 'All'))) {
    throw errors.badRequest(`Invalid dryRun value: ${JSON.stringify(body.dryRun)}. Supported values: All`);
  }
  const dry = body.dryRun !== undefined ? body.dryRun.length > 0 : dryRunOf(q);
  return { gracePeriodSeconds: grace, propagationPolicy: policy, preconditions: body.preconditions, dryRun: dry };
}

export async function handleItem(r: RestRequest): Promise<void> {
  const { ctx, req, res, def, query, path } = r;
  const key = storeKey(def);
  const name = path.name!;
  const ns = def.namespaced ? path.namespace : undefined;
  if (def.namespaced && !ns) throw errors.notFound(def.group, def.plural, name);
  switch (req.method) {
    case 'GET': {
      const obj = ctx.store.mustGet(key, ns, name);
      if (wantsTable(req.headers.accept)) {
        return sendJson(res, 200, toTable(def, [obj], ctx.clock.now(), includeObjectOf(query), { resourceVersion: obj.metadata.resourceVersion }));
      }
      return sendJson(res, 200, obj);
    }
    case 'PUT': {
      const obj = await readObject(r);
      checkIdentity(r, obj);
      if (obj.metadata.name && obj.metadata.name !== name) {
        throw errors.badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
      }
      obj.metadata.name = name;
      validateFields(r, obj, 'update');
      return sendJson(res, 200, ctx.store.update(key, obj, { dryRun: dryRunOf(query) }));
    }
    case 'PATCH':
      return sendJson(res, 200, await patchObject(r, key, ns, name, {}));
    case 'DELETE': {
      const opts = await deleteOptions(r);
      const { object, deleted } = ctx.store.delete(key, ns, name, opts);
      if (deleted && !def.gracePeriod) {
        return sendJson(res, 200, {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Success',
          details: { name, group: def.group || undefined, kind: def.plural, uid: object.metadata.uid },
        });
      }
      return sendJson(res, 200, object);
    }
    default:
      throw errors.methodNotAllowed();
  }
}

/**
 * Apply a patch to the stored object and write it back, retrying on conflicts caused by
 * concurrent writers (a resourceVersion in the patch itself is a precondition, not retried).
 */
export async function patchObject(
  r: RestRequest,
  key: string,
  ns: string | undefined,
  name: string,
  opts: { subresource?: 'status' },
): Promise<KObject> {
  const { ctx, req, def, query } = r;
  const type = patchTypeFromContentType(req.headers['content-type']);
  if (!type) throw errors.unsupportedMediaType(String(req.headers['content-type']));
  const buf = await readBody(req);
  const patch = parseDocument(buf, type === 'apply' ? 'yaml' : 'json');
  const dryRun = dryRunOf(query);
  for (let attempt = 0; ; attempt++) {
    const cur = ctx.store.mustGet(key, ns, name);
    const patched = applyPatch(cur, patch, type, { group: def.group, kind: def.kind }) as KObject;
    if (!patched || typeof patched !== 'object' || Array.isArray(patched)) throw errors.badRequest('patch produced a non-object');
    patched.metadata ??= {};
    if (typeof patched.metadata !== 'object' || Array.isArray(patched.metadata)) throw errors.badRequest('metadata must be an object');
    if (patched.metadata.name !== undefined && patched.metadata.name !== name) {
      throw errors.badRequest(`the name of the object (${patched.metadata.name}) does not match the name on the URL (${name})`);
    }
    patched.metadata.name = name;
    if (def.namespaced) patched.metadata.namespace = ns;
    const explicitRV = patched.metadata.resourceVersion !== cur.metadata.resourceVersion;
    if (!explicitRV) patched.metadata.resourceVersion = cur.metadata.resourceVersion;
    checkPatchedFields(r, patched, cur, type, buf.toString('utf8'));
    try {
      return ctx.store.update(key, patched, { dryRun, subresource: opts.subresource });
    } catch (e) {
      if (e instanceof ApiError && e.reason === 'Conflict' && !explicitRV && attempt < 5) continue;
      throw e;
    }
  }
}
