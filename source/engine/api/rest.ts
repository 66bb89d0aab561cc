import type { KObject } from '../../api-types/index.ts';
import { apiVersionOf, resourceKey, type ResourceDef } from '../resources/types.ts';
import { ApiError, errors } from '../store/errors.ts';
import type { DeleteOptions, UpdateOptions } from '../store/store.ts';
import { bodyFormat, parseDocument, readBody } from './body.ts';
import { applyPatch, patchTypeFromContentType } from './patch/index.ts';
import { decodeK8sProtobuf } from './protobuf/decode.ts';
import { sendJson } from './respond.ts';
import { sendList } from './list-json.ts';
import { sendTable } from './table-json.ts';
import { serverSideApply } from './apply.ts';
import { updateRecorder } from './field-managers.ts';
import { checkBodyFields, checkPatchedFields, noteBody } from './strict.ts';
import { includeObjectOf, toTable, wantsTable } from './table.ts';
import { dryRunOf, queryBool, queryInt } from './query-params.ts';
import type { RestRequest } from './types.ts';
import { serveWatch } from './watch.ts';
import { present, presentAll, writeVersion } from './versions.ts';

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
  if (!obj || typeof obj !== 'object' || Array.isArray(obj))
    throw errors.badRequest('the body of the request must be a JSON object');
  noteBody(obj, buf, fmt);
  return obj as KObject;
}

/** The body's kind/apiVersion must be absent or match the endpoint; the namespace must agree with the URL. */
export function checkIdentity(
  r: RestRequest,
  obj: KObject,
  expectKind = r.def.kind,
  expectApiVersion = apiVersionOf(r.def),
): void {
  const other =
    typeof obj.kind === 'string' && typeof obj.apiVersion === 'string'
      ? r.ctx.store.registry.byKind(obj.apiVersion, obj.kind)
      : undefined;
  if (other && other.kind !== expectKind) {
    // A body of another known kind cannot be decoded into this endpoint's type.
    throw errors.badRequest(
      `the object provided is unrecognized (must be of type ${expectKind}): ${obj.kind} in version "${other.version}" cannot be handled as a ${expectKind}`,
    );
  }
  if (obj.kind !== undefined && obj.kind !== expectKind) {
    throw errors.badRequest(
      `the kind in the body (${String(obj.kind)}) does not match the expected kind ${expectKind} for this endpoint`,
    );
  }
  if (obj.apiVersion !== undefined && obj.apiVersion !== expectApiVersion) {
    throw errors.badRequest(
      `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expectApiVersion})`,
    );
  }
  if (
    obj.metadata !== undefined &&
    (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata))
  ) {
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
      const limit = queryInt(query, 'limit');
      if (queryBool(query, 'watch')) return serveWatch(r);
      const filter = {
        namespace: r.path.namespace,
        labelSelector: query.get('labelSelector') ?? undefined,
        fieldSelector: query.get('fieldSelector') ?? undefined,
        // As the apiserver does, a limit of 0 or less means no limit.
        limit: limit !== undefined && limit > 0 ? limit : undefined,
        continue: query.get('continue') ?? undefined,
      };
      const list = ctx.store.list(key, filter);
      const meta = {
        resourceVersion: list.resourceVersion,
        ...(list.continue ? { continue: list.continue, remainingItemCount: list.remaining } : {}),
      };
      if (wantsTable(req.headers.accept))
        return sendTable(
          res,
          toTable(def, list.items, { now: ctx.clock.now(), include: includeObjectOf(query), meta }),
        );
      return sendList(res, def.kind, apiVersionOf(def), presentAll(def, list.items), meta);
    }
    case 'POST': {
      const obj = await readObject(r);
      checkIdentity(r, obj);
      validateFields(r, obj, 'create');
      const created = ctx.store.create(key, obj, {
        dryRun: dryRunOf(query),
        fields: updateRecorder(r, 'CreateOptions'),
        version: writeVersion(r),
      });
      return sendJson(res, 201, present(def, created));
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
        if (def.group === '' && def.plural === 'namespaces' && PROTECTED_NAMESPACES.has(o.metadata.name!)) continue;
        try {
          out.push(ctx.store.delete(key, o.metadata.namespace, o.metadata.name!, opts).object);
        } catch (e) {
          if (!(e instanceof ApiError && e.code === 404)) throw e;
        }
      }
      return sendList(res, def.kind, apiVersionOf(def), presentAll(def, out), {
        resourceVersion: String(ctx.store.currentRV()),
      });
    }
    default:
      throw errors.methodNotAllowed();
  }
}

interface SentDeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  orphanDependents?: boolean;
  dryRun?: string[];
  preconditions?: DeleteOptions['preconditions'];
}

export async function deleteOptions(r: RestRequest): Promise<DeleteOptions> {
  const q = r.query;
  // As the client sent it; every field is checked before it is used.
  let body: SentDeleteOptions = {};
  if (r.req.method === 'DELETE') {
    const buf = await readBody(r.req);
    if (buf.length) {
      const fmt = bodyFormat(r.req.headers['content-type']);
      if (fmt === 'protobuf') body = decodeK8sProtobuf(buf) as SentDeleteOptions;
      else body = parseDocument(buf, fmt === 'yaml' ? 'yaml' : 'json') as SentDeleteOptions;
      if (!body || typeof body !== 'object' || Array.isArray(body))
        throw errors.badRequest('DeleteOptions must be an object');
    }
  }
  const queryGrace = queryInt(q, 'gracePeriodSeconds');
  const grace = body.gracePeriodSeconds ?? queryGrace;
  if (grace !== undefined && (!Number.isInteger(grace) || grace < 0))
    throw errors.badRequest(`invalid gracePeriodSeconds: ${grace}`);
  let policy = body.propagationPolicy ?? q.get('propagationPolicy') ?? undefined;
  if (body.orphanDependents === true || (body.orphanDependents === undefined && queryBool(q, 'orphanDependents')))
    policy = 'Orphan';
  if (policy !== undefined && !['Background', 'Foreground', 'Orphan'].includes(policy)) {
    throw errors.badRequest(
      `DeleteOptions.propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`,
    );
  }
  if (body.dryRun !== undefined && (!Array.isArray(body.dryRun) || body.dryRun.some((x: unknown) => x !== 'All'))) {
    throw errors.badRequest(`Invalid dryRun value: ${JSON.stringify(body.dryRun)}. Supported values: All`);
  }
  const dry = body.dryRun !== undefined ? body.dryRun.length > 0 : dryRunOf(q);
  return {
    gracePeriodSeconds: grace,
    propagationPolicy: policy as DeleteOptions['propagationPolicy'],
    preconditions: body.preconditions,
    dryRun: dry,
  };
}

/** Namespaces the NamespaceLifecycle admission plugin never lets go. */
const PROTECTED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

function checkDeletable(def: RestRequest['def'], name: string): void {
  if (def.group === '' && def.plural === 'namespaces' && PROTECTED_NAMESPACES.has(name)) {
    throw new ApiError(403, 'Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`, {
      name,
      kind: 'namespaces',
    });
  }
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
        return sendJson(
          res,
          200,
          toTable(def, [obj], {
            now: ctx.clock.now(),
            include: includeObjectOf(query),
            meta: { resourceVersion: obj.metadata.resourceVersion },
          }),
        );
      }
      return sendJson(res, 200, present(def, obj));
    }
    case 'PUT': {
      const obj = await readObject(r);
      checkIdentity(r, obj);
      if (obj.metadata.name && obj.metadata.name !== name) {
        throw errors.badRequest(
          `the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`,
        );
      }
      obj.metadata.name = name;
      validateFields(r, obj, 'update');
      return sendJson(
        res,
        200,
        present(
          def,
          ctx.store.update(key, obj, {
            dryRun: dryRunOf(query),
            fields: updateRecorder(r, 'UpdateOptions'),
            version: writeVersion(r),
          }),
        ),
      );
    }
    case 'PATCH': {
      const out = await patchObject(r, key, ns, name, {});
      return sendJson(res, out.created ? 201 : 200, out.object);
    }
    case 'DELETE': {
      const opts = await deleteOptions(r);
      checkDeletable(def, name);
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
      return sendJson(res, 200, present(def, object));
    }
    default:
      throw errors.methodNotAllowed();
  }
}

/**
 * Apply a patch to the stored object and write it back. Reading and writing happen in one turn
 * of the event loop, so no other writer comes between them; a resourceVersion in the patch itself
 * is a precondition (409 when stale).
 */
export async function patchObject(
  r: RestRequest,
  key: string,
  ns: string | undefined,
  name: string,
  opts: { subresource?: UpdateOptions['subresource'] },
): Promise<{ object: KObject; created?: boolean }> {
  const { ctx, req, def, query } = r;
  const type = patchTypeFromContentType(req.headers['content-type']);
  if (!type) throw errors.unsupportedMediaType(String(req.headers['content-type']));
  const force = query.get('force');
  if (force !== null && type !== 'apply') {
    throw errors.invalid('meta.k8s.io', 'PatchOptions', '', [
      { reason: 'FieldValueForbidden', field: 'force', message: 'Forbidden: may not be specified for non-apply patch' },
    ]);
  }
  const buf = await readBody(req);
  const patch = parseDocument(buf, type === 'apply' ? 'yaml' : 'json');
  const dryRun = dryRunOf(query);
  if (type === 'apply') return serverSideApply(r, key, ns, name, patch, buf, opts.subresource);
  const fields = updateRecorder(r, 'PatchOptions', opts.subresource);
  const cur = present(def, ctx.store.mustGet(key, ns, name));
  const patched = applyPatch(cur, patch, type, { group: def.group, kind: def.kind }) as KObject;
  if (!patched || typeof patched !== 'object' || Array.isArray(patched))
    throw errors.badRequest('patch produced a non-object');
  patched.metadata ??= {};
  if (typeof patched.metadata !== 'object' || Array.isArray(patched.metadata))
    throw errors.badRequest('metadata must be an object');
  if (patched.metadata.name !== undefined && patched.metadata.name !== name) {
    throw errors.badRequest(
      `the name of the object (${patched.metadata.name}) does not match the name on the URL (${name})`,
    );
  }
  patched.metadata.name = name;
  if (def.namespaced) patched.metadata.namespace = ns;
  const explicitRV = patched.metadata.resourceVersion !== cur.metadata.resourceVersion;
  if (!explicitRV) patched.metadata.resourceVersion = cur.metadata.resourceVersion;
  checkPatchedFields(r, patched, cur, type, buf.toString('utf8'));
  return {
    object: present(
      def,
      ctx.store.update(key, patched, { dryRun, subresource: opts.subresource, fields, version: writeVersion(r) }),
    ),
  };
}
