import { describe, expect, it } from 'vitest';
import { humanDuration, timestampMs, translateTimestampSince } from '../../../../source/engine/api/printers/age.ts';
import { NOW, ago } from './helpers.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

describe('humanDuration', () => {
  it.each([
    [-3 * S, '<invalid>'],
    [-2 * S, '<invalid>'],
    [-1.5 * S, '0s'], // truncates to -1: tolerated clock skew
    [-1 * S, '0s'],
    [-0.5 * S, '0s'],
    [0, '0s'],
    [999, '0s'],
    [59 * S, '59s'],
    [119 * S, '119s'],
    [120 * S, '2m'],
    [125 * S, '2m5s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M, '10m'],
    [10 * M + 30 * S, '10m'],
    [179 * M + 59 * S, '179m'],
    [3 * H, '3h'],
    [3 * H + 30 * M, '3h30m'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H, '8h'],
    [8 * H + 30 * M, '8h'],
    [47 * H + 59 * M, '47h'],
    [48 * H, '2d'],
    [49 * H, '2d1h'],
    [7 * D + 23 * H, '7d23h'],
    [8 * D, '8d'],
    [8 * D + 5 * H, '8d'],
    [729 * D + 23 * H, '729d'],
    [2 * Y, '2y'],
    [2 * Y + D, '2y1d'],
    [7 * Y + 364 * D, '7y364d'],
    [8 * Y, '8y'],
    [8 * Y + 100 * D, '8y'],
    [12 * Y, '12y'],
  ])('%d ms -> %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });
});

describe('translateTimestampSince', () => {
  it('formats the age of a timestamp', () => {
    expect(translateTimestampSince(ago(4), NOW)).toBe('4s');
    expect(translateTimestampSince(ago(5 * 3600), NOW)).toBe('5h');
    expect(translateTimestampSince('2025-06-01T11:59:59.500000Z', NOW)).toBe('0s');
  });

  it.each([undefined, null, '', '0001-01-01T00:00:00Z', 'not a time', 42])('%s -> <unknown>', (ts) => {
    expect(translateTimestampSince(ts, NOW)).toBe('<unknown>');
    expect(Number.isNaN(timestampMs(ts))).toBe(true);
  });

  it('a timestamp in the future beyond the skew allowance is <invalid>', () => {
    expect(translateTimestampSince(ago(-10), NOW)).toBe('<invalid>');
  });
});
