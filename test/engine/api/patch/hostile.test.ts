import { afterEach, describe, expect, it } from 'vitest';
import { applyPatch, type PatchType } from '../../../../source/engine/api/patch/index.ts';
import { apiError, deepFreeze, POD } from './fixtures.ts';

const apply = (original: object, patch: unknown, type: PatchType) =>
  applyPatch(deepFreeze(original), patch, type, POD) as any;

function expectNoPollution() {
  expect(({} as any).polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
  expect(Array.prototype).not.toHaveProperty('polluted');
}

describe('prototype pollution', () => {
  afterEach(() => {
    // Clean up if a test failed half-way, so one failure does not cascade.
    delete (Object.prototype as any).polluted;
    delete (Array.prototype as any).polluted;
  });

  const pod = () => ({
    kind: 'Pod',
    metadata: { name: 'p', labels: { a: '1' } },
    spec: { containers: [{ name: 'c', env: [] }] },
  });

  it.each(['merge', 'strategic'] as const)('%s: "__proto__" keys stay plain data', (type) => {
    const patches = [
      '{"__proto__":{"polluted":"yes"}}',
      '{"metadata":{"__proto__":{"polluted":"yes"}}}',
      '{"metadata":{"labels":{"__proto__":{"polluted":"yes"}}}}',
      '{"spec":{"containers":[{"name":"c","__proto__":{"polluted":"yes"}}]}}',
      '{"spec":{"containers":[{"name":"__proto__","image":"x"}]}}',
      '{"constructor":{"prototype":{"polluted":"yes"}}}',
      '{"metadata":{"constructor":{"prototype":{"polluted":"yes"}}}}',
      '{"spec":{"containers":[{"name":"c","env":[{"name":"constructor","value":"v"}]}]}}',
    ];
    for (const body of patches) {
      const result = apply(pod(), body, type);
      expectNoPollution();
      expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
      expect(Object.getPrototypeOf(result.metadata)).toBe(Object.prototype);
      expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    }
    const result = apply(pod(), '{"__proto__":{"polluted":"yes"}}', type);
    expect(Object.prototype.hasOwnProperty.call(result, '__proto__')).toBe(true);
    expect(JSON.stringify(result)).toContain('"__proto__":{"polluted":"yes"}');
  });

  it('strategic: directives naming "__proto__" do no harm', () => {
    const patches = [
      '{"spec":{"$setElementOrder/__proto__":[{"name":"x"}],"__proto__":[{"name":"x"}]}}',
      '{"metadata":{"$deleteFromPrimitiveList/__proto__":["polluted"]}}',
      '{"metadata":{"$retainKeys":["__proto__","name"],"__proto__":{"polluted":"yes"}}}',
      '{"metadata":{"__proto__":{"$patch":"replace","polluted":"yes"}}}',
    ];
    for (const body of patches) {
      apply(pod(), body, 'strategic');
      expectNoPollution();
    }
  });

  it('merges into a "__proto__" field that an earlier patch stored', () => {
    const first = apply(pod(), '{"metadata":{"labels":{"__proto__":{"a":"1"}}}}', 'merge');
    const second = apply(first, '{"metadata":{"labels":{"__proto__":{"polluted":"yes"}}}}', 'strategic');
    expectNoPollution();
    expect(JSON.parse(JSON.stringify(second.metadata.labels)).__proto__).toEqual({ a: '1', polluted: 'yes' });
  });

  it('json patch: "__proto__" and "constructor" paths never reach a prototype', () => {
    for (const path of [
      '/__proto__/polluted',
      '/constructor/prototype/polluted',
      '/metadata/__proto__/polluted',
      '/spec/containers/__proto__/polluted',
    ]) {
      const err = apiError(() => apply(pod(), [{ op: 'add', path, value: 'yes' }], 'json'), 422);
      expect(err.message).toContain('doc is missing path');
      expectNoPollution();
    }
    for (const op of [
      { op: 'test', path: '/constructor', value: null },
      { op: 'copy', from: '/__proto__', path: '/x' },
      { op: 'move', from: '/constructor', path: '/x' },
      { op: 'remove', path: '/toString' },
      { op: 'replace', path: '/hasOwnProperty', value: 1 },
    ]) {
      apiError(() => apply(pod(), [op], 'json'), 422);
    }
    const result = apply(pod(), [{ op: 'add', path: '/__proto__', value: { polluted: 'yes' } }], 'json');
    expectNoPollution();
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(result, '__proto__')).toBe(true);
  });
});

describe('hostile shapes', () => {
  const target = { kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] } };

  it.each(['merge', 'strategic', 'json'] as const)('%s: deep nesting is a 400, not a stack overflow', (type) => {
    const depth = 100_000;
    const nested = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    const body = type === 'json' ? `[{"op":"add","path":"/x","value":${nested}}]` : `{"spec":${nested}}`;
    expect(apiError(() => apply(target, body, type), 400).message).toMatch(/nested deeper than/);
    const arrays = '['.repeat(depth) + ']'.repeat(depth);
    expect(apiError(() => apply(target, `{"spec":{"x":${arrays}}}`, type), 400).message).toMatch(/nested deeper than/);
  });

  it('a moderately deep patch still applies', () => {
    let patch: any = 'leaf';
    for (let i = 0; i < 900; i++) patch = i % 2 ? { k: patch } : [patch];
    for (const type of ['merge', 'strategic'] as const) {
      const result = apply(target, { spec: { deep: patch } }, type);
      expect(JSON.stringify(result.spec.deep)).toBe(JSON.stringify(patch));
    }
  });

  it('refuses cyclic and non-JSON values passed programmatically', () => {
    const cyclic: any = { spec: {} };
    cyclic.spec.self = cyclic;
    apiError(() => apply(target, cyclic, 'merge'), 400);
    for (const bad of [
      { a: () => 1 },
      { a: undefined },
      { a: Number.NaN },
      { a: new Date() },
      { a: new Map() },
      { a: 1n },
      { a: Symbol('s') },
    ]) {
      apiError(() => apply(target, { spec: bad }, 'strategic'), 400);
    }
  });

  // Speed on huge lists belongs to a benchmark. The timeouts here are hang guards (a quadratic
  // merge would blow through them), roomy because a loaded machine takes tens of seconds.
  it('merges huge lists: order, deletions and primitive-list deletes over 50,000 entries', () => {
    const n = 50_000;
    const live = {
      kind: 'Pod',
      spec: {
        containers: [{ name: 'c', env: Array.from({ length: n }, (_, i) => ({ name: `V${i}`, value: 'old' })) }],
      },
    };
    const patch = {
      spec: {
        containers: [
          {
            name: 'c',
            '$setElementOrder/env': Array.from({ length: n }, (_, i) => ({ name: `V${n - 1 - i}` })),
            env: Array.from({ length: n }, (_, i) =>
              i % 2 ? { name: `V${i}`, value: 'new' } : { $patch: 'delete', name: `V${i}` },
            ).reverse(),
          },
        ],
      },
    };
    const result = apply(live, patch, 'strategic');
    const env = result.spec.containers[0].env;
    expect(env).toHaveLength(n / 2);
    expect(env[0]).toEqual({ name: `V${n - 1}`, value: 'new' });
    expect(env.at(-1)).toEqual({ name: 'V1', value: 'new' });

    const finalizers = Array.from({ length: n }, (_, i) => `f${i}`);
    const merged = apply(
      { metadata: { finalizers } },
      {
        metadata: {
          finalizers: finalizers.slice().reverse(),
          '$deleteFromPrimitiveList/finalizers': finalizers.slice(0, n / 2),
        },
      },
      'strategic',
    );
    expect(merged.metadata.finalizers).toHaveLength(n / 2);
  }, 180_000);

  it('json patch: 10000 array insertions into a 50,000-item array, in order', () => {
    const ops = Array.from({ length: 10_000 }, (_, i) => ({ op: 'add', path: '/spec/items/0', value: i }));
    const result = apply({ spec: { items: Array.from({ length: 50_000 }, () => 0) } }, ops, 'json');
    expect(result.spec.items).toHaveLength(60_000);
    expect(result.spec.items[0]).toBe(9999);
  }, 180_000);
});
