import { describe, expect, it } from 'vitest';
import { isRetryable, parseRetryAfter } from '../../source/client/retry-after.ts';

describe('parseRetryAfter', () => {
  it('reads seconds (the first of repeated headers), never below zero', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(' 1.5 ')).toBe(1500);
    expect(parseRetryAfter(['2', '9'])).toBe(2000);
    expect(parseRetryAfter('-4')).toBe(0);
  });

  it('reads an HTTP date against now; a past date means now', () => {
    const now = Date.parse('Wed, 02 Dec 2026 12:00:00 GMT');
    expect(parseRetryAfter('Wed, 02 Dec 2026 12:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Wed, 02 Dec 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('is undefined when absent or unreadable', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
    expect(parseRetryAfter([])).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('isRetryable', () => {
  it('429 always; 5xx only with a Retry-After; other codes never', () => {
    expect(isRetryable(429, undefined)).toBe(true);
    expect(isRetryable(503, 1000)).toBe(true);
    expect(isRetryable(500, undefined)).toBe(false);
    expect(isRetryable(404, 1000)).toBe(false);
  });
});
