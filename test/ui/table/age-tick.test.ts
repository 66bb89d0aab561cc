import { describe, expect, it } from 'vitest';
import { since } from '../../../source/describe/age.ts';
import { msUntilAgeChanges } from '../../../source/ui/table/age-tick.ts';

const created = '2026-01-01T00:00:00Z';
const t0 = Date.parse(created);

describe('msUntilAgeChanges: when an AGE cell next needs drawing', () => {
  it('never sleeps past a change of the text, over ages from 0 s to 9 years', () => {
    let checked = 0;
    for (let age = 0; age < 9 * 365 * 86_400_000; age = Math.ceil(age * 1.013) + 977) {
      const now = t0 + age;
      const wait = msUntilAgeChanges(created, now);
      expect(wait).toBeGreaterThan(0);
      const text = since(created, now);
      // Unchanged just before the wake-up (and at points in between)…
      for (const d of [0, Math.floor(wait / 3), Math.floor(wait / 2), wait - 1])
        expect(since(created, now + d)).toBe(text);
      checked++;
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('ticks every second while the age shows seconds, once a minute from 10m, hourly from 8h', () => {
    expect(msUntilAgeChanges(created, t0 + 5_300)).toBe(700);
    expect(msUntilAgeChanges(created, t0 + 9 * 60_000 + 59_500)).toBe(500);
    expect(msUntilAgeChanges(created, t0 + 12 * 60_000 + 1_000)).toBe(59_000);
    expect(since(created, t0 + 12 * 60_000 + 60_000)).not.toBe(since(created, t0 + 12 * 60_000 + 1_000));
    expect(msUntilAgeChanges(created, t0 + 9 * 3_600_000)).toBe(3_600_000);
  });

  it('waits for the clock to catch up with a future timestamp, and never for an unknown one', () => {
    expect(msUntilAgeChanges(created, t0 - 5_000)).toBe(5_000);
    expect(msUntilAgeChanges(undefined, t0)).toBe(Infinity);
  });
});
