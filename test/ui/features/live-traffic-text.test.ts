import { describe, expect, it } from 'vitest';
import type { TrafficSecond } from '../../../source/client/live-traffic.ts';
import { renderLiveTraffic } from '../../../source/ui/features/live-traffic-text.ts';

function second(at: number, byPod: Record<string, number>, failed = 0): TrafficSecond {
  return { at, byPod: new Map(Object.entries(byPod)), failed, unattributed: 0, inFlight: 0 };
}

describe('renderLiveTraffic', () => {
  it('draws a bar per second, old and new revisions apart, with the running counts', () => {
    const secs = [second(1, { 'web-a': 3 }), second(2, { 'web-a': 1, 'web-b': 2 }, 1), second(3, {})];
    const lines = renderLiveTraffic(
      {
        route: { kind: 'service', name: 'web', url: 'http://127.96.0.5:80/', viaApi: false },
        rate: 4,
        totals: {
          sent: 8,
          ok: 6,
          failed: 1,
          byPod: new Map([
            ['web-a', 4],
            ['web-b', 2],
          ]),
          lastError: 'connect ECONNREFUSED',
        },
        seconds: (n) => secs.slice(-n),
      },
      (pod) => (pod === 'web-a' ? 1 : 2),
      2,
      100,
      2,
    );
    expect(lines[0]).toBe('LIVE TRAFFIC through service/web (http://127.96.0.5:80/) · 4 req/s · <t> stops');
    expect(lines[1]).toBe('  sent 8 · ok 6 · failed 1 · rev 2 (new) answered 2 · rev 1 (old) answered 4');
    expect(lines[2]).toBe('  last failure: connect ECONNREFUSED');
    expect(lines[3]).toContain('█ rev 2 (new)   ▒ rev 1 (old)   ✗ failed');
    // The current, still filling second is left out: two full seconds, oldest first.
    expect(lines[4]).toMatch(/^ {3}-2s ▒▒▒\s+r1:3$/);
    expect(lines[5]).toMatch(/^ {3}-1s ██▒✗\s+r2:2 r1:1 failed:1$/);
    expect(lines).toHaveLength(6);
  });

  it('says when the pods are reached directly', () => {
    const lines = renderLiveTraffic(
      {
        route: { kind: 'pods', port: 80 },
        rate: 1,
        totals: { sent: 0, ok: 0, failed: 0, byPod: new Map() },
        seconds: () => [],
      },
      () => undefined,
      undefined,
      80,
    );
    expect(lines[0]).toContain('the ready pods directly on port 80 (no Service selects them)');
  });
});
