import { badJsonText } from './bodies.ts';
import { req, type HostileRequest } from './request.ts';
import type { Rng } from './rng.ts';
import { DEPLOYMENTS, NS } from './targets.ts';

const TARGETS = [
  `${NS}/configmaps/target`,
  `${NS}/pods/target`,
  `${DEPLOYMENTS}/target`,
  `${NS}/secrets/target`,
  `${NS}/pods/target/status`,
  `${DEPLOYMENTS}/target/status`,
];
const CT = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};
const KEYS = [
  'metadata',
  'spec',
  'status',
  'data',
  'containers',
  'name',
  'image',
  'labels',
  'replicas',
  'template',
  'ports',
  'selector',
  'x',
  '',
];
const DIRECTIVES = [
  '$patch',
  '$retainKeys',
  '$setElementOrder/containers',
  '$deleteFromPrimitiveList/finalizers',
  '$setElementOrder/ports',
];
const POINTERS = [
  '/metadata/name',
  '/metadata/labels/a',
  '/metadata/labels',
  '/data/x',
  '/data',
  '/spec/containers/0/image',
  '/spec/containers/-',
  '/spec/containers/999',
  '/spec/containers/-1',
  '/spec/containers/01',
  '/spec/replicas',
  '/status',
  '/metadata',
  '',
  '/',
  'data',
  '/data/~2',
  '/a~1b',
  '/metadata/labels/a~',
  '/spec/template/spec/containers/0',
];

/** A random JSON value; directives only below the root (a root `$patch: delete` could be valid). */
function value(rng: Rng, depth: number): unknown {
  const leaf = () =>
    rng.pick<unknown>([
      null,
      true,
      false,
      0,
      -1,
      1.5,
      1e308,
      2 ** 53,
      '',
      'x',
      'delete',
      'replace',
      'merge',
      '日本',
      '\u0000',
      [],
      {},
    ]);
  if (depth <= 0 || rng.chance(0.35)) return leaf();
  if (rng.chance(0.3)) return Array.from({ length: rng.int(4) }, () => value(rng, depth - 1));
  const o: Record<string, unknown> = {};
  for (let n = rng.int(4); n > 0; n--)
    o[rng.chance(0.25) ? rng.pick(DIRECTIVES) : rng.pick(KEYS)] = value(rng, depth - 1);
  return o;
}

/**
 * A merge or strategic patch that cannot apply: whatever else it does, it carries a stale
 * resourceVersion (409), when it is not malformed in the first place.
 */
function objectPatch(rng: Rng): unknown {
  const p: Record<string, unknown> = {};
  for (let n = rng.int(4); n > 0; n--) p[rng.pick(KEYS)] = value(rng, 3);
  const meta =
    p.metadata && typeof p.metadata === 'object' && !Array.isArray(p.metadata)
      ? (p.metadata as Record<string, unknown>)
      : {};
  for (const k of Object.keys(meta)) if (k.startsWith('$')) delete meta[k];
  p.metadata = { ...meta, resourceVersion: '1' };
  return p;
}

/** A JSON patch that cannot apply: random operations, then a test that always fails. */
function jsonPatch(rng: Rng): unknown {
  const ops: unknown[] = Array.from({ length: rng.int(4) }, () => {
    const op: Record<string, unknown> = {
      op: rng.pick(['add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus', '', 5, null]),
      path: rng.pick(POINTERS),
    };
    if (rng.chance(0.7)) op.value = value(rng, 3);
    if (rng.chance(0.3)) op.from = rng.pick(POINTERS);
    if (rng.chance(0.1)) return rng.pick([5, 'x', null, []]);
    return op;
  });
  ops.splice(rng.int(ops.length + 1), 0, { op: 'test', path: '/metadata/uid', value: 'hostile-not-the-uid' });
  return ops;
}

const SCALE_BAD = [-1, -2147483648, 2147483648, 1e20, 1.5, '3', null, {}, [], true, 'NaN'];

export function badPatches(rng: Rng): HostileRequest {
  const path = rng.pick(TARGETS);
  return rng.weighted<() => HostileRequest>([
    [3, () => req('patches', 'PATCH', path, { 'Content-Type': CT.json }, JSON.stringify(jsonPatch(rng)))],
    [
      1,
      () =>
        req(
          'patches',
          'PATCH',
          path,
          { 'Content-Type': CT.json },
          JSON.stringify(rng.pick([{}, 5, 'x', null, { op: 'add', path: '/x', value: 1 }])),
        ),
    ],
    [
      3,
      () =>
        req(
          'patches',
          'PATCH',
          path,
          { 'Content-Type': rng.pick([CT.merge, CT.strategic]) },
          JSON.stringify(objectPatch(rng)),
        ),
    ],
    [
      1,
      () =>
        req(
          'patches',
          'PATCH',
          path,
          { 'Content-Type': rng.pick([CT.merge, CT.strategic]) },
          JSON.stringify(rng.pick([5, 'x', null, [], [{ a: 1 }], true])),
        ),
    ],
    [
      2,
      () => {
        const body = badJsonText(rng, '{"metadata":{"labels":{"a":"b"}}}');
        // `[]` is the one non-object that is a good (empty) JSON patch.
        return req(
          'patches',
          'PATCH',
          path,
          { 'Content-Type': rng.pick([CT.json, CT.merge, CT.strategic]) },
          body === '[]' ? '[' : body,
        );
      },
    ],
    [
      1,
      () =>
        req(
          'patches',
          'PATCH',
          path,
          { 'Content-Type': CT.apply },
          rng.pick(['metadata:\n  labels:\n    a: b\n', '{}', '', ':::']),
        ),
    ],
    [
      1,
      () =>
        req(
          'patches',
          'PATCH',
          path,
          { 'Content-Type': CT.merge },
          JSON.stringify({ metadata: { name: rng.pick(['other', 5, '../x', {}]) } }),
        ),
    ],
    [
      1,
      () =>
        req(
          'patches',
          'PATCH',
          path,
          { 'Content-Type': CT.json },
          JSON.stringify([{ op: 'replace', path: '/metadata', value: rng.pick([5, 'x', [], true]) }]),
        ),
    ],
    [
      1,
      () =>
        req(
          'patches',
          'PATCH',
          path,
          { 'Content-Type': CT.merge },
          JSON.stringify({ metadata: { resourceVersion: '1', labels: { 'bad key': 'v' } } }),
        ),
    ],
    [
      2,
      () => {
        const bad = rng.pick(SCALE_BAD);
        const body = rng.pick([
          [CT.merge, { spec: { replicas: bad } }],
          [CT.strategic, { spec: { replicas: bad } }],
          [CT.json, [{ op: 'replace', path: '/spec/replicas', value: bad }]],
          [CT.merge, { metadata: { resourceVersion: '1' }, spec: { replicas: 2 } }],
        ] as const);
        return req(
          'patches',
          'PATCH',
          `${DEPLOYMENTS}/target/scale`,
          { 'Content-Type': body[0] },
          JSON.stringify(body[1]),
        );
      },
    ],
    [
      1,
      () =>
        req(
          'patches',
          'PUT',
          `${DEPLOYMENTS}/target/scale`,
          { 'Content-Type': 'application/json' },
          JSON.stringify({
            apiVersion: 'autoscaling/v1',
            kind: 'Scale',
            metadata: { name: 'target' },
            spec: { replicas: rng.pick(SCALE_BAD) },
          }),
        ),
    ],
  ] as const)();
}
