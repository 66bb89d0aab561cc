import type { UpdateOptions } from '../store/store.ts';
import type { KObject } from '../../api-types/index.ts';
import { apiVersionOf } from '../resources/types.ts';
import { ApiError, errors } from '../store/errors.ts';
import { writeContext } from './field-managers.ts';
import { applyConfiguration } from './managed/field-manager.ts';
import { typeErrors } from './managed/typecheck.ts';
import { kindSchema } from './openapi-catalogue.ts';
import { dryRunOf } from './query-params.ts';
import type { RestRequest } from './types.ts';
import { present, writeVersion } from './versions.ts';

/** Go's strconv.ParseBool, which query parameters go through. */
export function parseBool(v: string | null, name: string): boolean {
  if (v === null || v === '') return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw errors.badRequest(`invalid boolean value for ${name}: ${JSON.stringify(v)}`);
}

/**
 * PATCH with `application/apply-patch+yaml`: the body is the manager's whole intent for the
 * object. Creates the object when it does not exist (201), as the apiserver does.
 */
export async function serverSideApply(
  r: RestRequest,
  key: string,
  ns: string | undefined,
  name: string,
  patch: unknown,
  buf: Buffer,
  subresource: UpdateOptions['subresource'],
): Promise<{ object: KObject; created?: boolean }> {
  const { ctx, def, query } = r;
  if (!query.get('fieldManager')) {
    throw errors.invalid('meta.k8s.io', 'PatchOptions', '', [
      { reason: 'FieldValueRequired', field: 'fieldManager', message: 'Required value: is required for apply patch' },
    ]);
  }
  const force = parseBool(query.get('force'), 'force');
  if (!patch || typeof patch !== 'object' || Array.isArray(patch))
    throw errors.badRequest('error decoding YAML: the apply configuration must be an object');
  const applied = structuredClone(patch) as KObject;
  const expected = apiVersionOf(def);
  if (applied.apiVersion !== expected) {
    throw errors.badRequest(
      `Incorrect version specified in apply patch. Specified patch version: ${String(applied.apiVersion ?? '')}, expected: ${expected}`,
    );
  }
  if (!applied.kind)
    throw errors.badRequest(`Object 'Kind' is missing in '${buf.toString('utf8').slice(0, 200).trim()}'`);
  if (applied.kind !== def.kind) {
    throw errors.badRequest(
      `the kind in the body (${String(applied.kind)}) does not match the expected kind ${def.kind} for this endpoint`,
    );
  }
  if (
    applied.metadata !== undefined &&
    (typeof applied.metadata !== 'object' || applied.metadata === null || Array.isArray(applied.metadata))
  ) {
    throw errors.badRequest('metadata must be an object');
  }
  applied.metadata ??= {};
  if (applied.metadata.managedFields !== undefined) throw errors.badRequest('metadata.managedFields must be nil');
  if (applied.metadata.name !== undefined && applied.metadata.name !== name) {
    throw errors.badRequest(
      `the name of the object (${String(applied.metadata.name)}) does not match the name on the URL (${name})`,
    );
  }
  if (def.namespaced && applied.metadata.namespace && applied.metadata.namespace !== ns) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const schema = kindSchema(def.group, def.version, def.kind);
  const bad = schema ? typeErrors(schema, applied) : (def.validateApplied?.(applied) ?? []);
  if (bad.length) {
    throw errors.badRequest(
      `failed to create typed patch object (${def.group ? def.group + '/' : ''}${def.version}, Kind=${def.kind}): ${bad.join('; ')}`,
    );
  }
  const dryRun = dryRunOf(query);
  const w = writeContext(r, 'PatchOptions', subresource);
  for (let attempt = 0; ; attempt++) {
    const stored = ctx.store.get(key, ns, name);
    const live = stored && present(def, stored);
    if (!live && subresource) throw errors.notFound(def.group, def.plural, name);
    const merged = applyConfiguration(live, applied, w, { force });
    merged.apiVersion = expected;
    merged.kind = def.kind;
    merged.metadata.name = name;
    if (def.namespaced) merged.metadata.namespace = ns;
    const managed = merged.metadata.managedFields;
    const keep = (o: KObject): void => {
      if (managed === undefined) delete o.metadata.managedFields;
      else o.metadata.managedFields = managed;
    };
    try {
      const version = writeVersion(r);
      if (!live)
        return {
          object: present(def, ctx.store.create(key, merged, { dryRun, fields: keep, version })),
          created: true,
        };
      const explicitRV = applied.metadata.resourceVersion !== undefined;
      if (!explicitRV) merged.metadata.resourceVersion = live.metadata.resourceVersion;
      return { object: present(def, ctx.store.update(key, merged, { dryRun, subresource, fields: keep, version })) };
    } catch (e) {
      if (
        e instanceof ApiError &&
        (e.reason === 'Conflict' || e.reason === 'AlreadyExists') &&
        !e.details?.causes &&
        attempt < 5
      )
        continue;
      throw e;
    }
  }
}
