import type { KObject } from '../../../../source/api-types/index.ts';

export const NOW = Date.parse('2025-06-01T12:00:00Z');

/** RFC3339 timestamp `seconds` before NOW. */
export function ago(seconds: number): string {
  return new Date(NOW - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function obj(name: string, rest: Partial<KObject> = {}, meta: Record<string, unknown> = {}): KObject {
  return { ...rest, metadata: { name, namespace: 'default', creationTimestamp: ago(5), ...meta } };
}
