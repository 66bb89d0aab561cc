import type { KObject } from '../../api-types/index.ts';

/**
 * The object a status write (or pods/binding) makes for a kind with a status strategy: the stored
 * object with the new status (and, for a binding, spec.nodeName), sharing every other subtree
 * with it. Only the top level and metadata are fresh (field managers write managedFields); the
 * shared parts stay frozen, so nothing else may be changed in place.
 */
export function statusOnlyCopy(old: KObject, input: KObject, subresource: 'status' | 'binding'): KObject {
  const obj: KObject = { ...old, metadata: { ...old.metadata }, status: structuredClone(input.status) };
  if (subresource === 'binding') obj.spec = { ...old.spec, nodeName: input.spec?.nodeName };
  return obj;
}
