import { describe, expect, it } from 'vitest';
import { describeCI, medianCI, pairedCostPct, roundOrder } from '../../bench/paired.ts';

describe('paired bench statistics', () => {
  it('gives per-pair cost in % and refuses unpaired samples', () => {
    expect(pairedCostPct([110, 90, 100], [100, 100, 50])).toEqual([10.000000000000009, -9.999999999999998, 100]);
    expect(() => pairedCostPct([1, 2], [1])).toThrow(/unpaired/);
  });

  it('brackets the median with the sign test’s order statistics, whatever the input order', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(medianCI(xs)).toEqual({ median: 50, lo: 40, hi: 61, n: 100 });
    expect(describeCI(medianCI(xs.map((x) => x - 51)))).toBe('−1.0 % (95 % CI −11.0 % … +10.0 %, 100 pairs)');
    expect(() => medianCI([1, 2, 3])).toThrow(/too few/);
  });

  it('puts every side first, middle and last equally often, in every order', () => {
    const orders = Array.from({ length: 6 }, (_, k) => roundOrder(k, 3).join(''));
    expect(new Set(orders).size).toBe(6);
    expect(roundOrder(6, 3)).toEqual(roundOrder(0, 3));
    expect(Array.from({ length: 4 }, (_, k) => roundOrder(k, 2).join(''))).toEqual(['01', '10', '10', '01']);
  });
});
