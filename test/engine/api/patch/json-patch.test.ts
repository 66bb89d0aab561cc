import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../../../source/engine/api/patch/index.ts';
import { apiError, deepFreeze, DEPLOYMENT, webDeployment } from './fixtures.ts';

const CM = { group: '', kind: 'ConfigMap' };
const jsonPatch = (target: object, ops: unknown) => applyPatch(deepFreeze(target), ops, 'json', CM) as any;

describe('JSON patch (RFC 6902)', () => {
  it('adds object members, array elements and appends with "-"', () => {
    expect(jsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }])).toEqual({ foo: 'bar', baz: 'qux' });
    expect(jsonPatch({ foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }])).toEqual({
      foo: ['bar', 'qux', 'baz'],
    });
    expect(jsonPatch({ foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc'] }])).toEqual({
      foo: ['bar', ['abc']],
    });
    expect(jsonPatch({ foo: ['bar'] }, [{ op: 'add', path: '/foo/1', value: 'end' }])).toEqual({ foo: ['bar', 'end'] });
    expect(jsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/foo', value: null }])).toEqual({ foo: null });
  });

  it('removes, replaces, moves, copies and tests', () => {
    const doc = { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' }, list: [1, 2, 3] };
    expect(
      jsonPatch(doc, [
        { op: 'remove', path: '/list/1' },
        { op: 'replace', path: '/foo/bar', value: 'boo' },
        { op: 'move', from: '/foo/waldo', path: '/qux/thud' },
        { op: 'copy', from: '/qux', path: '/copied' },
        { op: 'test', path: '/copied', value: { thud: 'fred', corge: 'grault' } },
        { op: 'test', path: '/list', value: [1, 3] },
      ]),
    ).toEqual({
      foo: { bar: 'boo' },
      qux: { corge: 'grault', thud: 'fred' },
      list: [1, 3],
      copied: { corge: 'grault', thud: 'fred' },
    });
  });

  it('moves array elements', () => {
    expect(jsonPatch({ a: [1, 2, 3, 4] }, [{ op: 'move', from: '/a/1', path: '/a/3' }])).toEqual({ a: [1, 3, 4, 2] });
  });

  it('copies by value, so later edits of the copy leave the source alone', () => {
    const result = jsonPatch({ a: { b: 1 } }, [
      { op: 'copy', from: '/a', path: '/c' },
      { op: 'replace', path: '/c/b', value: 2 },
    ]);
    expect(result).toEqual({ a: { b: 1 }, c: { b: 2 } });
  });

  it('unescapes ~1 and ~0 in pointers, ~1 first', () => {
    const doc = { metadata: { annotations: { 'a/b': 'x', 'm~n': 'y', '~1': 'z' } } };
    expect(
      jsonPatch(doc, [
        { op: 'replace', path: '/metadata/annotations/a~1b', value: 'X' },
        { op: 'remove', path: '/metadata/annotations/m~0n' },
        { op: 'test', path: '/metadata/annotations/~01', value: 'z' },
        { op: 'add', path: '/metadata/annotations/kubernetes.io~1change-cause', value: 'c' },
      ]).metadata.annotations,
    ).toEqual({ 'a/b': 'X', '~1': 'z', 'kubernetes.io/change-cause': 'c' });
  });

  it('test treats objects as unordered and numbers by value', () => {
    expect(() =>
      jsonPatch({ a: { x: 1, y: [1, 2] } }, [{ op: 'test', path: '/a', value: { y: [1, 2], x: 1.0 } }]),
    ).not.toThrow();
  });

  it('replaces the whole document with path ""', () => {
    expect(jsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }])).toEqual({ b: 2 });
    const err = apiError(() => jsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: [1] }]), 422);
    expect(err.message).toMatch(/not a JSON object/);
  });

  describe('operations that cannot apply answer 422 naming the path', () => {
    const cases: Array<[string, object, unknown[], RegExp]> = [
      [
        'replace of a missing member',
        { spec: {} },
        [{ op: 'replace', path: '/metadata/annotations', value: {} }],
        /replace operation does not apply: doc is missing path: "\/metadata\/annotations"/,
      ],
      [
        'replace of a missing key',
        { metadata: {} },
        [{ op: 'replace', path: '/metadata/annotations', value: {} }],
        /"\/metadata\/annotations"/,
      ],
      [
        'remove of a missing key',
        { a: {} },
        [{ op: 'remove', path: '/a/b' }],
        /remove operation does not apply: doc is missing path: "\/a\/b"/,
      ],
      ['remove past the end of an array', { a: [1] }, [{ op: 'remove', path: '/a/1' }], /"\/a\/1"/],
      [
        'add under a missing parent',
        { a: {} },
        [{ op: 'add', path: '/x/y', value: 1 }],
        /add operation does not apply: doc is missing path: "\/x\/y"/,
      ],
      [
        'add past the end of an array',
        { a: [1] },
        [{ op: 'add', path: '/a/3', value: 1 }],
        /index out of bounds at "\/a\/3"/,
      ],
      ['add at a malformed index', { a: [1] }, [{ op: 'add', path: '/a/01', value: 1 }], /"\/a\/01"/],
      ['replace with "-"', { a: [1] }, [{ op: 'replace', path: '/a/-', value: 1 }], /"\/a\/-"/],
      ['a failed test', { a: 1 }, [{ op: 'test', path: '/a', value: 2 }], /testing value "\/a" failed/],
      ['a test of a missing path', { a: 1 }, [{ op: 'test', path: '/b', value: null }], /testing value "\/b" failed/],
      ['move from a missing path', { a: 1 }, [{ op: 'move', from: '/b', path: '/c' }], /"\/b"/],
      ['move into its own child', { a: { b: 1 } }, [{ op: 'move', from: '/a', path: '/a/b/c' }], /own child/],
      ['copy from a missing path', { a: 1 }, [{ op: 'copy', from: '/b', path: '/c' }], /"\/b"/],
      ['remove of the whole document', { a: 1 }, [{ op: 'remove', path: '' }], /whole document/],
      ['descending into a scalar', { a: 'str' }, [{ op: 'add', path: '/a/b', value: 1 }], /"\/a\/b"/],
    ];
    it.each(cases)('%s', (_name, doc, ops, message) => {
      const err = apiError(() => jsonPatch(doc, ops), 422);
      expect(err.reason).toBe('Invalid');
      expect(err.message).toMatch(/^the server rejected our request due to an error in our request: /);
      expect(err.message).toMatch(message);
    });

    it('applies nothing when a later operation fails', () => {
      const doc = deepFreeze({ a: 1 });
      apiError(
        () =>
          jsonPatch(doc, [
            { op: 'replace', path: '/a', value: 2 },
            { op: 'test', path: '/a', value: 3 },
          ]),
        422,
      );
      expect(doc).toEqual({ a: 1 });
    });
  });

  describe('malformed bodies answer 400', () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['an object instead of an array', { op: 'add', path: '/a', value: 1 }, /array of operations/],
      ['an operation that is not an object', ['add'], /operation 0 is not an object/],
      ['an unknown op', [{ op: 'frobnicate', path: '/a' }], /unknown "op"/],
      ['a missing op', [{ path: '/a', value: 1 }], /unknown "op"/],
      ['a missing path', [{ op: 'remove' }], /missing a string "path"/],
      ['a missing value', [{ op: 'add', path: '/a' }], /missing "value"/],
      ['a missing from', [{ op: 'copy', path: '/a' }], /missing a string "from"/],
      ['a pointer without a leading slash', [{ op: 'remove', path: 'a' }], /must start with "\/"/],
      ['a bad escape', [{ op: 'remove', path: '/a~2b' }], /invalid escape/],
      ['a trailing tilde', [{ op: 'remove', path: '/a~' }], /invalid escape/],
    ];
    it.each(cases)('%s', (_name, body, message) => {
      const err = apiError(() => jsonPatch({ a: 1 }, body), 400);
      expect(err.message).toMatch(message);
    });
  });

  it('limits a patch to 10000 operations (413, like the apiserver)', () => {
    const ops = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/a', value: 1 }));
    const err = apiError(() => jsonPatch({ a: 1 }, ops), 413);
    expect(err.message).toMatch(/maximum operations in a JSON patch is 10000, got 10001/);
    expect(() => jsonPatch({ a: 1 }, ops.slice(1))).not.toThrow();
  });

  it('bounds the growth copy operations can cause', () => {
    const ops = Array.from({ length: 40 }, (_, i) => ({ op: 'copy', from: '/a', path: `/a/x${i}` })); // doubles /a each time
    const err = apiError(() => jsonPatch({ a: { seed: 'x'.repeat(64) } }, ops), 422);
    expect(err.message).toMatch(/accumulated size increase of copy/);
  });

  it('applies the rollout undo body kubectl sends (k8s-api.md §9.10)', () => {
    const body = [
      {
        op: 'replace',
        path: '/spec/template',
        value: {
          metadata: { creationTimestamp: null, labels: { app: 'web' } },
          spec: {
            containers: [
              {
                name: 'nginx',
                image: 'nginx:1.26',
                resources: {},
                terminationMessagePath: '/dev/termination-log',
                terminationMessagePolicy: 'File',
                imagePullPolicy: 'IfNotPresent',
              },
            ],
            restartPolicy: 'Always',
            terminationGracePeriodSeconds: 30,
            dnsPolicy: 'ClusterFirst',
            securityContext: {},
            schedulerName: 'default-scheduler',
          },
        },
      },
      { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '3' } },
    ];
    const original = deepFreeze(webDeployment());
    const result = applyPatch(original, JSON.stringify(body), 'json', DEPLOYMENT) as any;
    expect(result.spec.template).toEqual(body[0].value);
    expect(result.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '3' });
    expect(result.spec.replicas).toBe(3);
    expect(result.status).toEqual(original.status);
  });

  it('rollout undo fails with 422 when the deployment has no annotations to replace', () => {
    const noAnnotations = webDeployment();
    delete noAnnotations.metadata.annotations;
    const err = apiError(
      () =>
        applyPatch(
          deepFreeze(noAnnotations),
          [{ op: 'replace', path: '/metadata/annotations', value: {} }],
          'json',
          DEPLOYMENT,
        ),
      422,
    );
    expect(err.message).toMatch(/\/metadata\/annotations/);
  });
});
