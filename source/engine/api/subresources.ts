import type { KObject } from '../../api-types/index.ts';
import { resourceKey } from '../resources/types.ts';
import { isObject } from '../resources/validation.ts';
import { errors } from '../store/errors.ts';
import { parseDocument, readBody } from './body.ts';
import { applyPatch, patchTypeFromContentType } from './patch/index.ts';
import { bindPod } from '../scheduler/bind.ts';
import { updateRecorder } from './field-managers.ts';
import { sendJson } from './respond.ts';
import { dryRunOf } from './query-params.ts';
import { checkIdentity, deleteOptions, patchObject, readObject } from './rest.ts';
import type { RestRequest } from './types.ts';
import { applyScale } from './scale-apply.ts';
import { BUILTIN_SCALE, toScale, writePath } from './scale-view.ts';
import { present, writeVersion } from './versions.ts';

/** GET/PUT/PATCH on `status`: the object, writes touching only its status. */
export async function handleStatus(r: RestRequest): Promise<void> {
  const { ctx, req, res, def, path } = r;
  const key = resourceKey(def);
  const ns = def.namespaced ? path.namespace : undefined;
  const name = path.name!;
  if (req.method === 'GET') return sendJson(res, 200, present(def, ctx.store.mustGet(key, ns, name)));
  if (req.method === 'PATCH') {
    const out = await patchObject(r, key, ns, name, { subresource: 'status' });
    return sendJson(res, 200, out.object);
  }
  if (req.method === 'PUT') {
    const obj = await readObject(r);
    checkIdentity(r, obj);
    obj.metadata.name = name;
    if (ns) obj.metadata.namespace = ns;
    const updated = ctx.store.update(key, obj, {
      subresource: 'status',
      dryRun: dryRunOf(r.query),
      fields: updateRecorder(r, 'UpdateOptions', 'status'),
      version: writeVersion(r),
    });
    return sendJson(res, 200, present(def, updated));
  }
  throw errors.methodNotAllowed();
}

/** GET/PUT/PATCH on pods/NAME/ephemeralcontainers (kubectl debug): writes that only add ephemeral containers. */
export async function handleEphemeralContainers(r: RestRequest): Promise<void> {
  const { ctx, req, res, path } = r;
  const name = path.name!;
  if (req.method === 'GET') return sendJson(res, 200, ctx.store.mustGet('pods', path.namespace, name));
  if (req.method === 'PATCH')
    return sendJson(
      res,
      200,
      (await patchObject(r, 'pods', path.namespace, name, { subresource: 'ephemeralcontainers' })).object,
    );
  if (req.method === 'PUT') {
    const obj = await readObject(r);
    checkIdentity(r, obj);
    obj.metadata.name = name;
    obj.metadata.namespace = path.namespace;
    const fields = updateRecorder(r, 'UpdateOptions', 'ephemeralcontainers');
    return sendJson(
      res,
      200,
      ctx.store.update('pods', obj, { subresource: 'ephemeralcontainers', dryRun: dryRunOf(r.query), fields }),
    );
  }
  throw errors.methodNotAllowed();
}

/** The autoscaling/v1 Scale view of deployments and replicasets. */
export async function handleScale(r: RestRequest): Promise<void> {
  const { ctx, req, res, def, path, query } = r;
  const key = resourceKey(def);
  const name = path.name!;
  const ns = path.namespace;
  const paths = def.scale;
  if (req.method === 'GET') return sendJson(res, 200, toScale(ctx.store.mustGet(key, ns, name), paths));
  if (req.method === 'PUT' || req.method === 'PATCH') {
    // The Scale as sent (PUT) or patched; replicas is checked below.
    let wanted: { spec?: { replicas?: number }; metadata?: { resourceVersion?: string } } | undefined;
    if (req.method === 'PUT') {
      wanted = await readObject(r);
    } else {
      // Patch the Scale view, then carry spec.replicas over to the parent.
      const type = patchTypeFromContentType(req.headers['content-type']);
      if (!type) throw errors.unsupportedMediaType(String(req.headers['content-type']));
      if (type === 'apply') return sendJson(res, 200, await applyScale(r, paths));
      const patch = parseDocument(await readBody(req), 'json');
      wanted = applyPatch(
        toScale(ctx.store.mustGet(key, ns, name), paths) as object,
        patch,
        type === 'strategic' ? 'merge' : type,
        { group: 'autoscaling', kind: 'Scale' },
      ) as typeof wanted;
    }
    const replicas = wanted?.spec?.replicas;
    if (replicas === undefined || !Number.isInteger(replicas) || replicas < 0 || replicas > 2 ** 31 - 1) {
      throw errors.invalid('autoscaling', 'Scale', name, [
        {
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
          field: 'spec.replicas',
        },
      ]);
    }
    const cur = ctx.store.mustGet(key, ns, name);
    const rv = wanted?.metadata?.resourceVersion;
    if (rv && rv !== cur.metadata.resourceVersion) throw errors.conflict(def.group, def.plural, name);
    const fields = updateRecorder(r, req.method === 'PUT' ? 'UpdateOptions' : 'PatchOptions', 'scale');
    const updated = ctx.store.mutate(
      key,
      ns,
      name,
      (o) => {
        writePath(o, (paths ?? BUILTIN_SCALE).specReplicasPath, replicas);
      },
      { dryRun: dryRunOf(query), fields },
    );
    return sendJson(res, 200, toScale(updated, paths));
  }
  throw errors.methodNotAllowed();
}

/** POST pods/NAME/binding: assign a pod to a node (once). */
export async function handleBinding(r: RestRequest): Promise<void> {
  const { ctx, req, res, path } = r;
  if (req.method !== 'POST') throw errors.methodNotAllowed();
  const body = await readObject(r);
  const node: unknown = isObject(body.target) ? body.target.name : undefined;
  if (typeof node !== 'string' || !node)
    throw errors.invalid('', 'Binding', path.name!, [
      { reason: 'FieldValueRequired', message: 'Required value', field: 'target.name' },
    ]);
  bindPod(ctx.store, path.namespace!, path.name!, node);
  return sendJson(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

/** POST pods/NAME/eviction (kubectl drain): delete the pod gracefully. */
export async function handleEviction(
  r: RestRequest,
  evict?: (ns: string, name: string, grace?: number) => void,
): Promise<void> {
  const { ctx, req, res, path } = r;
  if (req.method !== 'POST') throw errors.methodNotAllowed();
  const body = await readObject(r);
  const grace = isObject(body.deleteOptions) ? body.deleteOptions.gracePeriodSeconds : undefined;
  if (grace !== undefined && (!Number.isInteger(grace) || grace < 0))
    throw errors.badRequest(`invalid gracePeriodSeconds: ${JSON.stringify(grace)}`);
  ctx.store.mustGet('pods', path.namespace, path.name!);
  if (evict) evict(path.namespace!, path.name!, grace);
  else ctx.store.delete('pods', path.namespace, path.name!, { gracePeriodSeconds: grace });
  return sendJson(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

/** PUT namespaces/NAME/finalize: replace spec.finalizers. */
export async function handleFinalize(r: RestRequest): Promise<void> {
  const { ctx, req, res, path } = r;
  if (req.method !== 'PUT') throw errors.methodNotAllowed();
  const body = await readObject(r);
  const fin = body.spec?.finalizers ?? [];
  return sendJson(
    res,
    200,
    ctx.store.mutate('namespaces', undefined, path.name!, (o) => {
      o.spec = { ...(o.spec ?? {}), finalizers: fin };
    }),
  );
}

export { deleteOptions };
