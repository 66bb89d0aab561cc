import { describe, expect, it } from 'vitest';
import { parseLoad } from '../../../source/ui/features/load-spec.ts';

describe('traffic prompt: a burst or a sustained load', () => {
  it('a bare number is a burst of that many requests', () => {
    expect(parseLoad(' 30 ')).toEqual({ kind: 'burst', count: 30 });
    expect(parseLoad('0')).toMatch(/from 1 to 10000/);
  });
  it('rate/s for a time is a sustained load; minutes and a missing "for" are understood', () => {
    expect(parseLoad('20/s for 60s')).toEqual({ kind: 'sustained', rate: 20, seconds: 60 });
    expect(parseLoad('20/s 60')).toEqual({ kind: 'sustained', rate: 20, seconds: 60 });
    expect(parseLoad('5 / s for 2m')).toEqual({ kind: 'sustained', rate: 5, seconds: 120 });
  });
  it('out of range or unreadable: a message saying what to type', () => {
    expect(parseLoad('500/s for 10s')).toMatch(/rate from 1 to 200/);
    expect(parseLoad('10/s for 2h')).toMatch(/count \(30\) or a rate and a time/);
    expect(parseLoad('10/s for 0s')).toMatch(/time from 1 s/);
    expect(parseLoad('lots')).toMatch(/count \(30\) or a rate and a time/);
  });
});
