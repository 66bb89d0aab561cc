import type { KObject } from '../../api-types/index.ts';
import { copyJson } from './copy.ts';

/**
 * The object a status write (or pods/binding) makes for a kind with a status strategy: the stored
 * object with the new status (and, for a binding, spec.nodeName), sharing every other subtree
 * with it. Only the top level and metadata are fresh (field managers write managedFields); the
 * shared parts stay frozen, so nothing else may be changed in place. Frozen parts of the new
 * status (taken from the stored one) are shared too.
 */
export function statusOnlyCopy(old: KObject, input: KObject, subresource: 'status' | 'binding'): KObject {
  const obj: KObject = { ...old, metadata: { ...old.metadata }, status: copyJson(input.status, true) };
  if (subresource === 'binding') obj.spec = { ...old.spec, nodeName: input.spec?.nodeName };
  return obj;
}
