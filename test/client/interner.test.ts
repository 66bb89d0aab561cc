import { describe, expect, it } from 'vitest';
import { CellInterner, ValueInterner } from '../../source/client/interner.ts';

describe('CellInterner', () => {
  it('returns the first copy of a repeated cell, per column', () => {
    const i = new CellInterner();
    const a = i.intern(0, ['Run', 'ning'].join(''));
    expect(i.intern(0, 'Running')).toBe(a);
    expect(i.intern(1, 'Running')).toBe('Running');
  });

  it('stops pooling a column once it has seen `limit` different values', () => {
    const i = new CellInterner(3);
    for (const v of ['a', 'b', 'c', 'd']) i.intern(0, v);
    const fresh = ['a', 'a'].join('');
    expect(i.intern(0, fresh)).toBe(fresh); // the pool was dropped: strings pass through
  });
});

describe('ValueInterner', () => {
  it('shares one frozen copy per key', () => {
    const i = new ValueInterner<Record<string, string>>();
    const first = i.intern('app\0web\0', { app: 'web' });
    const second = i.intern('app\0web\0', { app: 'web' });
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(i.intern('app\0db\0', { app: 'db' })).not.toBe(first);
  });

  it('past its limit returns new values frozen, without pooling them', () => {
    const i = new ValueInterner<{ n: number }>(2);
    i.intern('1', { n: 1 });
    i.intern('2', { n: 2 });
    const third = i.intern('3', { n: 3 });
    expect(Object.isFrozen(third)).toBe(true);
    expect(i.intern('3', { n: 3 })).not.toBe(third);
    expect(i.intern('1', { n: 1 })).toEqual({ n: 1 });
  });
});
