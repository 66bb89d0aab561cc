import type { KObject } from '../../api-types/index.ts';
import { rfc3339 } from '../clock.ts';
import { apiVersionOf, resourceKey } from '../resources/types.ts';
import { errors } from '../store/errors.ts';
import { parseBool } from './apply.ts';
import { parseDocument, readBody } from './body.ts';
import { decodeManaged, encodeManaged, type Managed } from './managed/entries.ts';
import { applyConfiguration } from './managed/field-manager.ts';
import { FieldSet, type Path } from './managed/fieldset.ts';
import { fieldManagerOf } from './managed/manager-name.ts';
import { builtinType, deducedObjectType } from './managed/types.ts';
import { dryRunOf } from './query-params.ts';
import { BUILTIN_SCALE, toScale, writePath, type ScalePaths } from './scale-view.ts';
import type { RestRequest } from './types.ts';

const SCALE_VERSION = 'autoscaling/v1';
const REPLICAS_IN_SCALE: Path = ['f:spec', 'f:replicas'];

/** `.spec.replicas` → the FieldsV1 path `f:spec`, `f:replicas`. */
const fieldPath = (jsonPath: string): Path =>
  jsonPath
    .replace(/^\./, '')
    .split('.')
    .map((p) => `f:${p}`);

const sameWriter = (a: Managed, b: Managed): boolean =>
  a.manager === b.manager && a.operation === b.operation && (a.subresource ?? '') === (b.subresource ?? '');

/** The parent's entries that own the replicas, as entries of the Scale (upstream's ScaleHandler.ToSubresource). */
function toSubresource(parent: Managed[], replicas: Path): Managed[] {
  return parent
    .filter((m) => m.set.has(replicas))
    .map((m) => ({ ...m, apiVersion: SCALE_VERSION, set: FieldSet.of([REPLICAS_IN_SCALE]) }));
}

/**
 * The Scale's entries back onto the parent (ScaleHandler.ToParent): a manager that lost the
 * replicas on the Scale loses them on the parent; one that gained them gets an entry of its own.
 */
function toParent(parent: Managed[], scale: Managed[], replicas: Path, apiVersion: string): Managed[] {
  const pending = [...scale];
  const out: Managed[] = [];
  for (const m of parent) {
    if (!m.set.has(replicas)) {
      out.push(m);
      continue;
    }
    const i = pending.findIndex((s) => sameWriter(s, m));
    if (i >= 0) {
      out.push(m);
      pending.splice(i, 1);
    } else {
      const rest = m.set.difference(FieldSet.of([replicas]));
      if (rest.size) out.push({ ...m, set: rest });
    }
  }
  for (const s of pending)
    if (s.set.has(REPLICAS_IN_SCALE)) out.push({ ...s, apiVersion, set: FieldSet.of([replicas]) });
  return out;
}

/**
 * Server-side apply of an autoscaling/v1 Scale (PATCH application/apply-patch+yaml on `scale`):
 * ownership of the replicas is decided on the Scale view of the parent's managedFields and
 * written back to the parent, so `spec.replicas` is owned by the applying manager there.
 */
export async function applyScale(r: RestRequest, paths: ScalePaths | undefined): Promise<unknown> {
  const { ctx, req, def, query, path } = r;
  const key = resourceKey(def);
  const name = path.name!;
  const ns = def.namespaced ? path.namespace : undefined;
  if (!query.get('fieldManager')) {
    throw errors.invalid('meta.k8s.io', 'PatchOptions', '', [
      { reason: 'FieldValueRequired', field: 'fieldManager', message: 'Required value: is required for apply patch' },
    ]);
  }
  const force = parseBool(query.get('force'), 'force');
  const buf = await readBody(req);
  const applied = parseDocument(buf, 'yaml') as KObject;
  if (!applied || typeof applied !== 'object' || Array.isArray(applied))
    throw errors.badRequest('error decoding YAML: the apply configuration must be an object');
  if (applied.apiVersion !== SCALE_VERSION) {
    throw errors.badRequest(
      `Incorrect version specified in apply patch. Specified patch version: ${String(applied.apiVersion ?? '')}, expected: ${SCALE_VERSION}`,
    );
  }
  if (applied.kind !== 'Scale')
    throw errors.badRequest(
      `the kind in the body (${String(applied.kind ?? '')}) does not match the expected kind Scale for this endpoint`,
    );
  applied.metadata ??= {};
  if (applied.metadata.name !== undefined && applied.metadata.name !== name) {
    throw errors.badRequest(
      `the name of the object (${String(applied.metadata.name)}) does not match the name on the URL (${name})`,
    );
  }
  const cur = ctx.store.mustGet(key, ns, name);
  const rv = applied.metadata.resourceVersion;
  if (rv && rv !== cur.metadata.resourceVersion) throw errors.conflict(def.group, def.plural, name);
  const replicasPath = fieldPath((paths ?? BUILTIN_SCALE).specReplicasPath);
  const parentEntries = decodeManaged(cur.metadata.managedFields);
  const live = toScale(cur, paths) as KObject;
  live.metadata.managedFields = encodeManaged(toSubresource(parentEntries, replicasPath));
  const w = {
    manager: fieldManagerOf(query, req, 'PatchOptions'),
    apiVersion: SCALE_VERSION,
    subresource: 'scale',
    hasStatus: true,
    type: builtinType('autoscaling', 'v1', 'Scale') ?? deducedObjectType(),
    now: rfc3339(ctx.clock.now()),
  };
  const merged = applyConfiguration(live, applied, w, { force });
  const replicas: unknown = merged.spec?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0 || replicas > 2 ** 31 - 1) {
    throw errors.invalid('autoscaling', 'Scale', name, [
      {
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
        field: 'spec.replicas',
      },
    ]);
  }
  const managed = encodeManaged(
    toParent(parentEntries, decodeManaged(merged.metadata.managedFields), replicasPath, apiVersionOf(def)),
  );
  const updated = ctx.store.mutate(
    key,
    ns,
    name,
    (o) => {
      writePath(o, (paths ?? BUILTIN_SCALE).specReplicasPath, replicas);
      o.metadata.managedFields = managed;
    },
    { dryRun: dryRunOf(query) },
  );
  const out = toScale(updated, paths) as KObject;
  out.metadata.managedFields = encodeManaged(
    toSubresource(decodeManaged(updated.metadata.managedFields), replicasPath),
  );
  return out;
}
