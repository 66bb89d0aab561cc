import { describe, expect, it } from 'vitest';
import { ServerClock } from '../../source/client/server-clock.ts';
import { parseRetryAfter, isRetryable } from '../../source/client/retry-after.ts';
import { RateLimiter } from '../../source/client/rate-limit.ts';

const httpDate = (ms: number) => new Date(ms).toUTCString();

describe('ServerClock', () => {
  it('is 0 until a Date header was seen and for a server within the header resolution', () => {
    const c = new ServerClock();
    expect(c.offsetMs).toBe(0);
    const now = Date.parse('2026-01-01T00:00:10.300Z');
    c.observe(httpDate(Date.parse('2026-01-01T00:00:10Z')), now - 20, now);
    expect(c.offsetMs).toBe(0);
  });

  it('converges on a server 90 s ahead from several one-second-resolution headers', () => {
    const c = new ServerClock();
    const skew = 90_000;
    for (const local of [1_000_000_100, 1_000_000_650, 1_000_001_420, 1_000_002_990]) {
      c.observe(httpDate(local + skew), local - 5, local);
    }
    expect(Math.abs(c.offsetMs - skew)).toBeLessThan(600);
  });

  it('starts over when the clocks jump (bounds stop overlapping)', () => {
    const c = new ServerClock();
    c.observe(httpDate(1_000_000_000 + 90_000), 1_000_000_000, 1_000_000_000);
    c.observe(httpDate(1_000_010_000 - 30_000), 1_000_010_000, 1_000_010_000);
    expect(c.offsetMs).toBeLessThan(-29_000);
    expect(c.offsetMs).toBeGreaterThan(-31_000);
  });

  it('ignores missing and garbage headers', () => {
    const c = new ServerClock();
    c.observe(undefined, 0, 0);
    c.observe('yesterday-ish', 0, 0);
    expect(c.offsetMs).toBe(0);
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter(httpDate(10_000), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('retries 429 always and 5xx only when the server says when, as client-go', () => {
    expect(isRetryable(429, undefined)).toBe(true);
    expect(isRetryable(503, 1000)).toBe(true);
    expect(isRetryable(503, undefined)).toBe(false);
    expect(isRetryable(403, 1000)).toBe(false);
  });
});

describe('RateLimiter', () => {
  it('lets a burst through, then spaces requests at the QPS', async () => {
    const limiter = new RateLimiter(20, 3);
    const times: number[] = [];
    const start = Date.now();
    await Promise.all(Array.from({ length: 6 }, () => limiter.take().then(() => times.push(Date.now() - start))));
    times.sort((a, b) => a - b);
    // Three at once; the other three need a token each at 20/s, so the last waited >= ~150 ms.
    expect(times[5]).toBeGreaterThanOrEqual(140);
  });

  it('is off at 0 QPS', async () => {
    const limiter = new RateLimiter(0, 1);
    await Promise.all(Array.from({ length: 100 }, () => limiter.take()));
  });
});
