import { ApiError } from '../../store/errors.ts';
import { applyJsonPatch } from './json-patch.ts';
import { badRequest, isObject, readPatchBody, type JsonObject } from './json-value.ts';
import { applyMergePatch } from './merge-patch.ts';
import { rootTypeOf } from './schema.ts';
import { applyStrategicPatch } from './strategic.ts';

export { supportsStrategic } from './schema.ts';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const CONTENT_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/** The patch type of a PATCH request's Content-Type (parameters such as `charset` ignored). */
export function patchTypeFromContentType(ct: string | undefined): PatchType | undefined {
  if (!ct) return undefined;
  const mediaType = ct.split(';')[0].trim().toLowerCase();
  return Object.prototype.hasOwnProperty.call(CONTENT_TYPES, mediaType) ? CONTENT_TYPES[mediaType] : undefined;
}

/**
 * Applies a patch body (parsed JSON, or raw JSON text) to `original` and returns a new object;
 * `original` is never modified (it may be deep-frozen). Strategic merge uses the kind's schema;
 * kinds without one (custom resources) merge schema-less — callers should answer 415 for them
 * first when the real apiserver would (see `supportsStrategic`).
 */
export function applyPatch(
  original: object,
  patch: unknown,
  type: PatchType,
  kind: { group: string; kind: string },
): object {
  if (type === 'apply') {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      'server-side apply (application/apply-patch+yaml) is not supported by skiff; use client-side `kubectl apply` (without --server-side)',
    );
  }
  const body = readPatchBody(patch);
  const doc = structuredClone(original) as JsonObject;
  if (!isObject(doc)) throw badRequest('the object to patch is not a JSON object');
  try {
    switch (type) {
      case 'json':
        return applyJsonPatch(doc, body);
      case 'merge':
        return applyMergePatch(doc, body);
      case 'strategic':
        return applyStrategicPatch(doc, body, rootTypeOf(kind));
      default:
        throw badRequest(`unknown patch type: ${String(type)}`);
    }
  } catch (err) {
    // Belt and braces: readPatchBody bounds nesting, but a stack overflow must never escape as a 500.
    if (err instanceof RangeError) throw badRequest(`the patch could not be applied: ${err.message}`);
    throw err;
  }
}
