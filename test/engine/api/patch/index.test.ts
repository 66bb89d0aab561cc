import { describe, expect, it } from 'vitest';
import { applyPatch, patchTypeFromContentType, supportsStrategic } from '../../../../source/engine/api/patch/index.ts';
import { apiError, deepFreeze, DEPLOYMENT, webDeployment } from './fixtures.ts';

describe('patchTypeFromContentType', () => {
  it('maps the four patch media types', () => {
    expect(patchTypeFromContentType('application/json-patch+json')).toBe('json');
    expect(patchTypeFromContentType('application/merge-patch+json')).toBe('merge');
    expect(patchTypeFromContentType('application/strategic-merge-patch+json')).toBe('strategic');
    expect(patchTypeFromContentType('application/apply-patch+yaml')).toBe('apply');
  });

  it('ignores parameters, case and whitespace', () => {
    expect(patchTypeFromContentType('application/merge-patch+json; charset=utf-8')).toBe('merge');
    expect(patchTypeFromContentType(' Application/Strategic-Merge-Patch+JSON ')).toBe('strategic');
  });

  it('returns undefined for anything else', () => {
    expect(patchTypeFromContentType(undefined)).toBeUndefined();
    expect(patchTypeFromContentType('')).toBeUndefined();
    expect(patchTypeFromContentType('application/json')).toBeUndefined();
    expect(patchTypeFromContentType('application/vnd.kubernetes.protobuf')).toBeUndefined();
    expect(patchTypeFromContentType('toString')).toBeUndefined();
  });
});

describe('supportsStrategic', () => {
  it('is true for built-in kinds, with or without merge keys', () => {
    for (const kind of [
      { group: '', kind: 'Pod' },
      { group: '', kind: 'ConfigMap' },
      { group: '', kind: 'Node' },
      { group: 'apps', kind: 'Deployment' },
      { group: 'batch', kind: 'CronJob' },
      { group: 'discovery.k8s.io', kind: 'EndpointSlice' },
      { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
    ]) {
      expect(supportsStrategic(kind), kind.kind).toBe(true);
    }
  });

  it('is false for custom resources and mismatched groups', () => {
    expect(supportsStrategic({ group: 'example.com', kind: 'Widget' })).toBe(false);
    expect(supportsStrategic({ group: '', kind: 'Deployment' })).toBe(false);
    expect(supportsStrategic({ group: '', kind: 'constructor' })).toBe(false);
  });
});

describe('applyPatch', () => {
  it('refuses server-side apply with 415', () => {
    const err = apiError(() => applyPatch(webDeployment(), 'kind: Deployment', 'apply', DEPLOYMENT), 415);
    expect(err.reason).toBe('UnsupportedMediaType');
    expect(err.message).toMatch(/server-side apply/);
  });

  it('accepts raw JSON text and bytes as the body', () => {
    const fromText = applyPatch(webDeployment(), '{"spec":{"replicas":5}}', 'merge', DEPLOYMENT) as any;
    const fromBytes = applyPatch(webDeployment(), Buffer.from('{"spec":{"replicas":6}}'), 'merge', DEPLOYMENT) as any;
    expect(fromText.spec.replicas).toBe(5);
    expect(fromBytes.spec.replicas).toBe(6);
  });

  it('answers 400 for a body that is not JSON', () => {
    const err = apiError(() => applyPatch(webDeployment(), '{"spec":', 'strategic', DEPLOYMENT), 400);
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toMatch(/error decoding patch/);
  });

  it('never mutates a deep-frozen original or patch, and returns a fresh mutable object', () => {
    const original = deepFreeze(webDeployment());
    const snapshot = JSON.stringify(original);
    const patches = [
      ['merge', deepFreeze({ spec: { replicas: 9, template: { metadata: { labels: { x: 'y' } } } } })],
      [
        'strategic',
        deepFreeze({
          spec: { template: { spec: { containers: [{ name: 'nginx', env: [{ name: 'A', value: 'B' }] }] } } },
        }),
      ],
      [
        'json',
        deepFreeze([{ op: 'add', path: '/spec/template/spec/containers/0/env/-', value: { name: 'A', value: 'B' } }]),
      ],
    ] as const;
    for (const [type, patch] of patches) {
      const patchSnapshot = JSON.stringify(patch);
      const result = applyPatch(original, patch, type, DEPLOYMENT) as any;
      expect(JSON.stringify(original)).toBe(snapshot);
      expect(JSON.stringify(patch)).toBe(patchSnapshot);
      expect(Object.isFrozen(result)).toBe(false);
      expect(Object.isFrozen(result.spec.template.spec.containers[0])).toBe(false);
      expect(result.spec.template).not.toBe(original.spec.template);
      result.spec.template.spec.containers[0].image = 'changed'; // must not throw
    }
  });

  it('does not alias patch values into the result', () => {
    const patch = { metadata: { labels: { a: '1' } }, spec: { template: { spec: { tolerations: [{ key: 'k' }] } } } };
    for (const type of ['merge', 'strategic'] as const) {
      const result = applyPatch(webDeployment(), patch, type, DEPLOYMENT) as any;
      expect(result.spec.template.spec.tolerations).toEqual([{ key: 'k' }]);
      expect(result.spec.template.spec.tolerations).not.toBe(patch.spec.template.spec.tolerations);
      expect(result.metadata.labels).not.toBe(patch.metadata.labels);
    }
    const value = { name: 'A', value: 'B' };
    const result = applyPatch(
      webDeployment(),
      [
        { op: 'add', path: '/x', value },
        { op: 'add', path: '/y', value },
      ],
      'json',
      DEPLOYMENT,
    ) as any;
    expect(result.x).toEqual(value);
    expect(result.x).not.toBe(value);
    expect(result.x).not.toBe(result.y);
  });
});
