import type { KObject } from '../../api-types/index.ts';
import { apiVersionOf, resourceKey, type ResourceDef } from '../resources/types.ts';
import { ApiError } from '../store/errors.ts';
import type { RestRequest } from './types.ts';

/** A stored object as the requested version serves it (the same object when nothing changes). */
export function present(def: ResourceDef, obj: KObject): KObject {
  return def.fromStorage && obj.apiVersion !== apiVersionOf(def) ? def.fromStorage(obj) : obj;
}

export function presentAll(def: ResourceDef, objs: KObject[]): KObject[] {
  return def.fromStorage ? objs.map((o) => present(def, o)) : objs;
}

/** The apiserver's wording when a conversion webhook cannot be reached. */
export function conversionFailed(apiVersion: string, kind: string, why: string): ApiError {
  return new ApiError(500, 'InternalError', `conversion webhook for ${apiVersion}, Kind=${kind} failed: ${why}`);
}

/**
 * The version a write arrives in, for the store, when it is not the storage version: its schema
 * applies, and the object is stored at the storage version.
 */
export function writeVersion(r: RestRequest): ResourceDef | undefined {
  const storage = r.ctx.store.registry.get(resourceKey(r.def));
  if (!storage || storage === r.def) return undefined;
  if (r.def.conversionError) throw conversionFailed(apiVersionOf(r.def), r.def.kind, r.def.conversionError);
  return r.def;
}
