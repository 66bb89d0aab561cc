import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../../../source/engine/api/patch/index.ts';
import { apiError, deepFreeze, DEPLOYMENT, webDeployment } from './fixtures.ts';

const CM = { group: '', kind: 'ConfigMap' };
const merge = (target: object, patch: unknown) => applyPatch(deepFreeze(target), patch, 'merge', CM);

describe('JSON merge patch (RFC 7386)', () => {
  // RFC 7386 appendix A, each case wrapped in a field `v` because a top-level patch must be an object.
  const cases: Array<[unknown, unknown, unknown]> = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  it.each(cases)('%j + %j = %j', (target, patch, expected) => {
    expect(merge({ v: target }, { v: patch })).toEqual({ v: expected });
  });

  it('applies kubectl scale to the scale subresource', () => {
    const scale = {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: 'web' },
      spec: { replicas: 3 },
      status: { replicas: 3 },
    };
    const result = applyPatch(deepFreeze(scale), '{"spec":{"replicas":5}}', 'merge', {
      group: 'autoscaling',
      kind: 'Scale',
    });
    expect(result).toEqual({ ...scale, spec: { replicas: 5 } });
  });

  it('applies kubectl label and annotate', () => {
    const labelled = applyPatch(
      deepFreeze(webDeployment()),
      { metadata: { labels: { tier: 'front' } } },
      'merge',
      DEPLOYMENT,
    ) as any;
    expect(labelled.metadata.labels).toEqual({ app: 'web', tier: 'front' });
    const unlabelled = applyPatch(
      deepFreeze(webDeployment()),
      { metadata: { labels: { app: null } } },
      'merge',
      DEPLOYMENT,
    ) as any;
    expect(unlabelled.metadata.labels).toEqual({});
    const annotated = applyPatch(
      deepFreeze(webDeployment()),
      { metadata: { annotations: { note: 'hi' } } },
      'merge',
      DEPLOYMENT,
    ) as any;
    expect(annotated.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '2', note: 'hi' });
  });

  it('replaces lists wholesale, even lists strategic merge would merge', () => {
    const result = applyPatch(
      deepFreeze(webDeployment()),
      { spec: { template: { spec: { containers: [{ name: 'other', image: 'busybox' }] } } } },
      'merge',
      DEPLOYMENT,
    ) as any;
    expect(result.spec.template.spec.containers).toEqual([{ name: 'other', image: 'busybox' }]);
  });

  it('keeps $-directives as plain data (they mean nothing to a merge patch)', () => {
    expect(merge({ data: { a: '1' } }, { data: { $patch: 'replace' } })).toEqual({
      data: { a: '1', $patch: 'replace' },
    });
  });

  it('refuses a patch that is not an object with 400', () => {
    for (const body of [[], 'str', 5, null, '[1]', 'null']) {
      const err = apiError(() => merge({ a: 1 }, body), 400);
      expect(err.reason).toBe('BadRequest');
    }
  });
});
