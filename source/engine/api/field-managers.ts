import type { KObject } from '../../api-types/index.ts';
import { rfc3339 } from '../clock.ts';
import { apiVersionOf, type ResourceDef } from '../resources/types.ts';
import { recordUpdate, type WriteContext } from './managed/field-manager.ts';
import { fieldManagerOf } from './managed/manager-name.ts';
import { builtinType, deducedObjectType, type TypeNode } from './managed/types.ts';
import type { RestRequest } from './types.ts';

const types = new WeakMap<ResourceDef, TypeNode>();

/** The server-side-apply type of a kind: the catalogue's, a custom resource's schema, or deduced. */
export function ssaTypeOf(def: ResourceDef): TypeNode {
  let t = types.get(def);
  if (!t) {
    t = def.ssaType?.() ?? builtinType(def.group, def.version, def.kind) ?? deducedObjectType();
    types.set(def, t);
  }
  return t;
}

export function writeContext(
  r: RestRequest,
  options: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions',
  subresource?: string,
): WriteContext {
  return {
    manager: fieldManagerOf(r.query, r.req, options),
    apiVersion: apiVersionOf(r.def),
    subresource,
    hasStatus: !!r.def.hasStatus,
    type: ssaTypeOf(r.def),
    now: rfc3339(r.ctx.clock.now()),
  };
}

/** The store hook that records an `Update` by this request's field manager. */
export function updateRecorder(
  r: RestRequest,
  options: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions',
  subresource?: string,
): (obj: KObject, old: KObject | undefined) => void {
  const w = writeContext(r, options, subresource);
  return (obj, old) => recordUpdate(obj, old, w);
}
