import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../source/engine/clock.ts';
import { Backoff } from '../../../source/engine/kubelet/backoff.ts';
import { goDuration } from '../../../source/engine/kubelet/format.ts';

describe('Backoff', () => {
  it('10 s doubling to 5 min; forgotten after 10 min without a bump', () => {
    const clock = new FakeClock();
    const b = new Backoff(clock);
    expect(b.get('k')).toBeUndefined();
    expect([1, 2, 3, 4, 5, 6, 7].map(() => b.next('k'))).toEqual([
      10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000,
    ]);
    clock.advance(599_000);
    expect(b.get('k')).toBe(300_000);
    clock.advance(1000);
    expect(b.get('k')).toBeUndefined();
    expect(b.next('k')).toBe(10_000);
    b.deletePrefix('k');
    expect(b.get('k')).toBeUndefined();
  });
});

describe('goDuration', () => {
  it('formats like Go', () => {
    expect([0, 5, 850, 1000, 1200, 1501, 10_000, 80_000, 300_000, 3_725_000].map(goDuration)).toEqual([
      '0s',
      '5ms',
      '850ms',
      '1s',
      '1.2s',
      '1.501s',
      '10s',
      '1m20s',
      '5m0s',
      '1h2m5s',
    ]);
  });
});
