// Comparing sides measured alternately in one run: per-pair ratios, their median and a
// distribution-free confidence interval for that median. On a shared machine a preempted request
// spoils one pair, not a side, and the median of the pairs shrugs it off.
import { percentile } from './lib.ts';

/** Per pair, how much more `on` took than `off` took, in % (positive: `on` is dearer). */
export function pairedCostPct(on: number[], off: number[]): number[] {
  if (on.length !== off.length) throw new Error(`unpaired samples: ${on.length} vs ${off.length}`);
  return on.map((x, i) => 100 * (x / off[i]! - 1));
}

export interface MedianCI {
  median: number;
  /** The 95 % confidence interval of the median: order statistics from the sign test's binomial. */
  lo: number;
  hi: number;
  n: number;
}

/** The median and its 95 % confidence interval (normal approximation to Binomial(n, ½); n ≥ 6). */
export function medianCI(xs: number[]): MedianCI {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  const j = Math.floor(n / 2 - (1.96 * Math.sqrt(n)) / 2);
  if (j < 1) throw new Error(`${n} pairs are too few for a confidence interval of the median`);
  return { median: percentile(s, 50), lo: s[j - 1]!, hi: s[n - j]!, n };
}

const pct = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)} %`;

/** "+0.3 % (95 % CI −0.8 … +1.4 %, 360 pairs)" */
export function describeCI(c: MedianCI): string {
  return `${pct(c.median)} (95 % CI ${pct(c.lo)} … ${pct(c.hi)}, ${c.n} pairs)`;
}

/** The order in which round `k` measures `n` sides: every rotation and its reverse in turn. */
export function roundOrder(k: number, n: number): number[] {
  const rot = Array.from({ length: n }, (_, i) => (i + k) % n);
  return Math.floor(k / n) % 2 ? rot.reverse() : rot;
}
