import type { KObject } from '../../api-types/index.ts';
import { fromV1, toV1 } from '../autoscaling/v1.ts';
import { resourceKey } from '../resources/types.ts';
import { errors } from '../store/errors.ts';
import { parseDocument, readBody } from './body.ts';
import { updateRecorder } from './field-managers.ts';
import { applyPatch, patchTypeFromContentType } from './patch/index.ts';
import { dryRunOf } from './query-params.ts';
import { sendJson } from './respond.ts';
import { checkIdentity, deleteOptions, readObject } from './rest.ts';
import { includeObjectOf, toTable, wantsTable } from './table.ts';
import type { RestRequest } from './types.ts';

/**
 * autoscaling/v1 HorizontalPodAutoscalers (what `kubectl autoscale` up to 1.32 creates), served
 * by converting to and from the stored autoscaling/v2 objects. `r.def` is the v2 def.
 */
export async function handleHpaV1(r: RestRequest): Promise<void> {
  const { ctx, req, res, path, query } = r;
  const key = resourceKey(r.def);
  const ns = path.namespace;
  const store = ctx.store;
  if (path.subresource && path.subresource !== 'status')
    throw errors.notFound(r.def.group, r.def.plural, path.name ?? '');
  const sub = path.subresource ? { subresource: 'status' as const } : {};
  const expect = (obj: KObject) => checkIdentity(r, obj, 'HorizontalPodAutoscaler', 'autoscaling/v1');
  if (!path.name) {
    if (req.method === 'GET') {
      const list = store.list(key, {
        namespace: ns,
        labelSelector: query.get('labelSelector') ?? undefined,
        fieldSelector: query.get('fieldSelector') ?? undefined,
      });
      const meta = { resourceVersion: list.resourceVersion };
      if (wantsTable(req.headers.accept))
        return sendJson(
          res,
          200,
          toTable(r.def, list.items, { now: ctx.clock.now(), include: includeObjectOf(query), meta }),
        );
      return sendJson(res, 200, {
        kind: 'HorizontalPodAutoscalerList',
        apiVersion: 'autoscaling/v1',
        metadata: meta,
        items: list.items.map(toV1),
      });
    }
    if (req.method === 'POST') {
      if (!ns) throw errors.methodNotAllowed();
      const obj = await readObject(r);
      expect(obj);
      const created = store.create(key, fromV1(obj), {
        dryRun: dryRunOf(query),
        fields: updateRecorder(r, 'CreateOptions'),
      });
      return sendJson(res, 201, toV1(created));
    }
    throw errors.methodNotAllowed();
  }
  const name = path.name;
  switch (req.method) {
    case 'GET':
      return sendJson(res, 200, toV1(store.mustGet(key, ns, name)));
    case 'PUT': {
      const obj = await readObject(r);
      expect(obj);
      obj.metadata.name = name;
      const updated = store.update(key, fromV1(obj, store.mustGet(key, ns, name)), {
        ...sub,
        dryRun: dryRunOf(query),
        fields: updateRecorder(r, 'UpdateOptions', sub.subresource),
      });
      return sendJson(res, 200, toV1(updated));
    }
    case 'PATCH': {
      const type = patchTypeFromContentType(req.headers['content-type']);
      if (!type || type === 'apply') throw errors.unsupportedMediaType(String(req.headers['content-type']));
      const patch = parseDocument(await readBody(req), 'json');
      const cur = store.mustGet(key, ns, name);
      const patched = applyPatch(toV1(cur), patch, type, {
        group: 'autoscaling',
        kind: 'HorizontalPodAutoscaler',
      }) as KObject;
      patched.metadata = { ...patched.metadata, name, namespace: ns, resourceVersion: cur.metadata.resourceVersion };
      const updated = store.update(key, fromV1(patched, cur), {
        ...sub,
        dryRun: dryRunOf(query),
        fields: updateRecorder(r, 'PatchOptions', sub.subresource),
      });
      return sendJson(res, 200, toV1(updated));
    }
    case 'DELETE': {
      const out = store.delete(key, ns, name, await deleteOptions(r));
      return sendJson(
        res,
        200,
        out.deleted
          ? {
              kind: 'Status',
              apiVersion: 'v1',
              metadata: {},
              status: 'Success',
              details: { name, group: 'autoscaling', kind: 'horizontalpodautoscalers', uid: out.object.metadata.uid },
            }
          : toV1(out.object),
      );
    }
  }
  throw errors.methodNotAllowed();
}
