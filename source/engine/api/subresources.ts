import type { KObject } from '../../api-types/index.ts';
import { resourceKey } from '../resources/types.ts';
import { errors } from '../store/errors.ts';
import { labelSelectorToString } from '../store/selectors.ts';
import { parseDocument, readBody } from './body.ts';
import { applyPatch, patchTypeFromContentType } from './patch/index.ts';
import { bindPod } from '../scheduler/bind.ts';
import { sendJson } from './respond.ts';
import { checkIdentity, deleteOptions, dryRunOf, patchObject, readObject, type RestRequest } from './rest.ts';

/** GET/PUT/PATCH on `status`: the object, writes touching only its status. */
export async function handleStatus(r: RestRequest): Promise<void> {
  const { ctx, req, res, def, path } = r;
  const key = resourceKey(def);
  const ns = def.namespaced ? path.namespace : undefined;
  const name = path.name!;
  if (req.method === 'GET') return sendJson(res, 200, ctx.store.mustGet(key, ns, name));
  if (req.method === 'PATCH') return sendJson(res, 200, await patchObject(r, key, ns, name, { subresource: 'status' }));
  if (req.method === 'PUT') {
    const obj = await readObject(r);
    checkIdentity(r, obj);
    obj.metadata.name = name;
    if (ns) obj.metadata.namespace = ns;
    return sendJson(res, 200, ctx.store.update(key, obj, { subresource: 'status', dryRun: dryRunOf(r.query) }));
  }
  throw errors.methodNotAllowed();
}

function toScale(o: KObject): unknown {
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: o.metadata.name,
      namespace: o.metadata.namespace,
      uid: o.metadata.uid,
      resourceVersion: o.metadata.resourceVersion,
      creationTimestamp: o.metadata.creationTimestamp,
    },
    spec: { replicas: o.spec?.replicas ?? 0 },
    status: { replicas: o.status?.replicas ?? 0, selector: labelSelectorToString(o.spec?.selector) },
  };
}

/** The autoscaling/v1 Scale view of deployments and replicasets. */
export async function handleScale(r: RestRequest): Promise<void> {
  const { ctx, req, res, def, path, query } = r;
  const key = resourceKey(def);
  const name = path.name!;
  const ns = path.namespace;
  if (req.method === 'GET') return sendJson(res, 200, toScale(ctx.store.mustGet(key, ns, name)));
  if (req.method === 'PUT' || req.method === 'PATCH') {
    let wanted: any;
    if (req.method === 'PUT') {
      wanted = await readObject(r);
    } else {
      // Patch the Scale view, then carry spec.replicas over to the parent.
      const type = patchTypeFromContentType(req.headers['content-type']);
      if (!type) throw errors.unsupportedMediaType(String(req.headers['content-type']));
      const patch = parseDocument(await readBody(req), 'json');
      wanted = applyPatch(toScale(ctx.store.mustGet(key, ns, name)) as object, patch, type === 'strategic' ? 'merge' : type, { group: 'autoscaling', kind: 'Scale' });
    }
    const replicas = wanted?.spec?.replicas;
    if (!Number.isInteger(replicas) || replicas < 0 || replicas > 2 ** 31 - 1) {
      throw errors.invalid('autoscaling', 'Scale', name, [{ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, field: 'spec.replicas' }]);
    }
    const cur = ctx.store.mustGet(key, ns, name);
    const rv = wanted?.metadata?.resourceVersion;
    if (rv && rv !== cur.metadata.resourceVersion) throw errors.conflict(def.group, def.plural, name);
    const updated = ctx.store.mutate(key, ns, name, (o) => {
      o.spec.replicas = replicas;
    }, { dryRun: dryRunOf(query) });
    return sendJson(res, 200, toScale(updated));
  }
  throw errors.methodNotAllowed();
}

/** POST pods/NAME/binding: assign a pod to a node (once). */
export async function handleBinding(r: RestRequest): Promise<void> {
  const { ctx, req, res, path } = r;
  if (req.method !== 'POST') throw errors.methodNotAllowed();
  const body = await readObject(r);
  const node = body.target?.name;
  if (typeof node !== 'string' || !node) throw errors.invalid('', 'Binding', path.name!, [{ reason: 'FieldValueRequired', message: 'Required value', field: 'target.name' }]);
  bindPod(ctx.store, path.namespace!, path.name!, node);
  return sendJson(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

/** POST pods/NAME/eviction (kubectl drain): delete the pod gracefully. */
export async function handleEviction(r: RestRequest, evict?: (ns: string, name: string, grace?: number) => void): Promise<void> {
  const { ctx, req, res, path } = r;
  if (req.method !== 'POST') throw errors.methodNotAllowed();
  const body = await readObject(r);
  const grace = body.deleteOptions?.gracePeriodSeconds;
  if (grace !== undefined && (!Number.isInteger(grace) || grace < 0)) throw errors.badRequest(`invalid gracePeriodSeconds: ${JSON.stringify(grace)}`);
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
  return sendJson(res, 200, ctx.store.mutate('namespaces', undefined, path.name!, (o) => {
    o.spec = { ...(o.spec ?? {}), finalizers: fin };
  }));
}

export { deleteOptions };
