import { badRequest, cloneJson, getOwn, isObject, setOwn, type Json, type JsonObject } from './json-value.ts';

/** RFC 7386 JSON merge patch. Mutates and returns `target` (the caller's private copy). */
export function applyMergePatch(target: JsonObject, patch: Json): JsonObject {
  if (!isObject(patch)) throw badRequest('a merge patch must be a JSON object');
  return mergeInto(target, patch);
}

function mergeInto(target: JsonObject, patch: JsonObject): JsonObject {
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) {
      delete target[key];
    } else if (isObject(value)) {
      const current = getOwn(target, key);
      setOwn(target, key, mergeInto(isObject(current) ? current : {}, value));
    } else {
      setOwn(target, key, cloneJson(value));
    }
  }
  return target;
}
