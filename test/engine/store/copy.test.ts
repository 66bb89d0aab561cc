import { describe, expect, it } from 'vitest';
import { copyJson } from '../../../source/engine/store/copy.ts';
import { deepFreeze } from '../../../source/engine/store/freeze.ts';

describe('copyJson', () => {
  it('copies objects and arrays deeply and keeps other values', () => {
    const src = { a: [1, { b: 'x' }, null], c: { d: true, e: undefined }, f: 2.5 };
    const out = copyJson(src);
    expect(out).toEqual(src);
    expect(out).not.toBe(src);
    expect(out.a).not.toBe(src.a);
    expect(out.a[1]).not.toBe(src.a[1]);
    expect(out.c).not.toBe(src.c);
    expect(Object.keys(out.c)).toEqual(['d', 'e']);
  });

  it('shares frozen subtrees only when asked', () => {
    const stored = deepFreeze({ conditions: [{ type: 'Ready' }] });
    const src = { stored, fresh: { n: 1 } };
    expect(copyJson(src, true).stored).toBe(stored);
    expect(copyJson(src, true).fresh).not.toBe(src.fresh);
    expect(copyJson(src).stored).not.toBe(stored);
    expect(Object.isFrozen(copyJson(src).stored)).toBe(false);
  });

  it('keeps a `__proto__` key from JSON.parse as a key, not a prototype', () => {
    const src = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as Record<string, unknown>;
    const out = copyJson(src);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'ok']);
    expect(JSON.stringify(out)).toBe(JSON.stringify(src));
  });
});
