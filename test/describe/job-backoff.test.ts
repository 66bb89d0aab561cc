import { describe, expect, it } from 'vitest';
import type { KObject } from '../../source/api-types/index.ts';
import { describeJob } from '../../source/describe/job.ts';
import { jobBackoffMs, nextJobRetry, retryText } from '../../source/describe/job-backoff.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const job = (extra: Record<string, unknown> = {}): KObject => ({
  metadata: { name: 'flaky', namespace: 'default' },
  spec: { backoffLimit: 6, ...extra },
  status: {},
});
const finished = (name: string, phase: 'Failed' | 'Succeeded', at: number): KObject => ({
  metadata: { name },
  status: {
    phase,
    containerStatuses: [
      { name: 'c', state: { terminated: { exitCode: phase === 'Failed' ? 1 : 0, finishedAt: iso(at) } } },
    ],
  },
});
const running = (name: string): KObject => ({ metadata: { name }, status: { phase: 'Running' } });

describe('the next retry of a Job', () => {
  it('back-off is 10 s doubling per failure since the last success, at most 10 minutes', () => {
    expect([1, 2, 3, 4, 6, 7, 30].map(jobBackoffMs)).toEqual([
      10_000, 20_000, 40_000, 80_000, 320_000, 600_000, 600_000,
    ]);
    expect(jobBackoffMs(0)).toBe(0);
  });

  it("counts from the last failed pod's finish time", () => {
    const pods = [
      finished('a', 'Failed', T0),
      finished('b', 'Failed', T0 + 12_000),
      finished('c', 'Failed', T0 + 40_000),
    ];
    const r = nextJobRetry(job(), pods, T0 + 50_000);
    expect(r).toEqual({ at: T0 + 40_000 + 40_000, failures: 3, backoffMs: 40_000 });
    expect(retryText(r!, T0 + 50_000)).toBe('in 30s (back-off 40s after 3 failures)');
    expect(nextJobRetry(job(), pods, T0 + 80_000)).toBeUndefined();
    // A skiff engine at SKIFF_TIME_SCALE=0.5 waits the 40 s back-off in 20 s.
    expect(nextJobRetry(job(), pods, T0 + 50_000, 0.5)).toEqual({ at: T0 + 60_000, failures: 3, backoffMs: 40_000 });
  });

  it('a success resets the count; none while pods run, or the job is finished or suspended', () => {
    const pods = [
      finished('a', 'Failed', T0),
      finished('b', 'Succeeded', T0 + 5_000),
      finished('c', 'Failed', T0 + 9_000),
    ];
    expect(nextJobRetry(job({ completions: 3 }), pods, T0 + 10_000)).toMatchObject({ failures: 1, at: T0 + 19_000 });
    expect(nextJobRetry(job(), [...pods, running('d')], T0 + 10_000)).toBeUndefined();
    expect(nextJobRetry(job({ parallelism: 2 }), [...pods, running('d')], T0 + 10_000)).toBeDefined();
    expect(nextJobRetry(job({ suspend: true }), pods, T0 + 10_000)).toBeUndefined();
    const failed = {
      ...job(),
      status: { conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] },
    };
    expect(nextJobRetry(failed, pods, T0 + 10_000)).toBeUndefined();
    expect(nextJobRetry(job(), [finished('x', 'Succeeded', T0)], T0 + 1_000)).toBeUndefined();
  });

  it("describe shows it as Next Retry when the job's pods are known", () => {
    const pods = [finished('a', 'Failed', T0)];
    const text = describeJob(job(), [], T0 + 3_000, pods);
    expect(text).toMatch(/^Next Retry:\s+in 7s \(back-off 10s after 1 failure\)$/m);
    expect(describeJob(job(), [], T0 + 3_000)).not.toContain('Next Retry');
  });
});
